using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;

namespace TaskQueue.Generators.Shared
{
    /// <summary>
    /// The name of the <c>JsonTypeInfo</c> property that the System.Text.Json source generator gives a declared type
    /// when <c>TypeInfoPropertyName</c> is not set (its <c>JsonSourceGenerator.Parser.GetTypeInfoPropertyName</c>):
    /// the simple metadata name (<c>int</c> is <c>Int32</c>), every type argument in scope appended
    /// (<c>List&lt;Money&gt;</c> is <c>ListMoney</c>, <c>int?</c> is <c>NullableInt32</c>), and <c>Array</c> /
    /// <c>Array2D</c>... for arrays (<c>Money[]</c> is <c>MoneyArray</c>).
    /// </summary>
    internal static class JsonTypeInfoNames
    {
        public static string DefaultPropertyName(ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol array)
            {
                var suffix = array.Rank == 1 ? "Array" : "Array" + array.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture) + "D";
                return DefaultPropertyName(array.ElementType) + suffix;
            }

            if (type is not INamedTypeSymbol named || !named.IsGenericType)
            {
                return type.Name;
            }

            var builder = new StringBuilder(named.Name);
            foreach (var argument in TypeArgumentsInScope(named))
            {
                builder.Append(DefaultPropertyName(argument));
            }

            return builder.ToString();
        }

        /// <summary>Type arguments of the containing types (outermost first), then the type's own.</summary>
        private static List<ITypeSymbol> TypeArgumentsInScope(INamedTypeSymbol type)
        {
            var chain = new List<INamedTypeSymbol>();
            for (var t = type; t is not null; t = t.ContainingType)
            {
                chain.Add(t);
            }

            var arguments = new List<ITypeSymbol>();
            for (var i = chain.Count - 1; i >= 0; i--)
            {
                arguments.AddRange(chain[i].TypeArguments);
            }

            return arguments;
        }
    }
}

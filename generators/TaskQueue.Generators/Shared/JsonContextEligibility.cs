using Microsoft.CodeAnalysis;

namespace TaskQueue.Generators.Shared
{
    /// <summary>
    /// Whether a type the native payload serializer rejects may go through a user JsonSerializerContext instead.
    /// Types nothing can store (delegates, streams, tasks, pointers, ref structs, open generics, private types)
    /// are never eligible: the generator will not route them through a context, and the analyzers do not suggest
    /// declaring them (that would send the user down a dead end).
    /// </summary>
    /// <remarks>
    /// Only the type itself, its type arguments and array elements are checked, not its properties: a declared
    /// class holding a Stream property goes through System.Text.Json, which then fails at run time with a
    /// <c>JobPayloadException</c>.
    /// </remarks>
    internal static class JsonContextEligibility
    {
        public static bool IsEligible(ITypeSymbol type)
        {
            switch (type.TypeKind)
            {
                case TypeKind.TypeParameter:
                case TypeKind.Dynamic:
                case TypeKind.Pointer:
                case TypeKind.FunctionPointer:
                case TypeKind.Delegate:
                case TypeKind.Error:
                    return false;
            }

            if (type.IsRefLikeType || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr)
            {
                return false;
            }

            if (type is IArrayTypeSymbol array)
            {
                return IsEligible(array.ElementType);
            }

            if (type is not INamedTypeSymbol named || named.IsUnboundGenericType)
            {
                return false;
            }

            for (INamedTypeSymbol? t = named; t is not null; t = t.BaseType)
            {
                if (t.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) == "System.IO.Stream")
                {
                    return false;
                }
            }

            if (named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
            {
                return false;
            }

            foreach (var argument in named.TypeArguments)
            {
                if (!IsEligible(argument))
                {
                    return false;
                }
            }

            // A private type cannot be named by the user's context (nor by generated code) either.
            return PayloadTypeAnalyzer.IsAccessibleFromAssembly(named);
        }
    }
}

using System.Linq;
using Microsoft.CodeAnalysis;
using TaskQueue.Generators.Model;
using TaskQueue.Generators.Shared;

namespace TaskQueue.Generators
{
    public sealed partial class JobGenerator
    {
        /// <summary>
        /// Symbols in, <see cref="AccessorModel"/> out: how generated readers reach a non-public setter or a get-only
        /// auto-property's backing field without reflection (<c>[UnsafeAccessor]</c> is NativeAOT-safe).
        /// </summary>
        internal static class Accessors
        {
            public static AccessorModel? For(PayloadMemberShape member)
            {
                var property = member.Property;
                switch (member.Binding)
                {
                    case PayloadMemberBinding.NonPublicSetter:
                        // The setter's declaring type, not the payload type: a base class's private setter lives there.
                        var setter = property.SetMethod!;
                        return Create(setter.ContainingType, setter.OriginalDefinition.Parameters[0].Type, "Set_" + property.Name, setter.Name);
                    case PayloadMemberBinding.BackingField:
                        return Create(property.ContainingType, property.OriginalDefinition.Type, "Field_" + property.Name, "<" + property.Name + ">k__BackingField");
                    default:
                        return null;
                }
            }

            private static AccessorModel Create(INamedTypeSymbol owner, ITypeSymbol memberType, string methodName, string metadataName)
            {
                var definition = owner.OriginalDefinition;
                var chain = Enumerable.Empty<INamedTypeSymbol>();
                for (var t = definition; t is not null; t = t.ContainingType)
                {
                    chain = chain.Prepend(t);
                }

                var parameters = chain.SelectMany(t => t.TypeParameters).Select(p => p.Name).ToList();
                var constructed = Enumerable.Empty<INamedTypeSymbol>();
                for (var t = owner; t is not null; t = t.ContainingType)
                {
                    constructed = constructed.Prepend(t);
                }

                var arguments = constructed.SelectMany(t => t.TypeArguments).Select(a => a.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).ToList();
                return new AccessorModel(
                    "Access_" + Parser.TypeId(definition),
                    parameters.Count == 0 ? string.Empty : "<" + string.Join(", ", parameters) + ">",
                    arguments.Count == 0 ? string.Empty : "<" + string.Join(", ", arguments) + ">",
                    definition.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    definition.IsValueType,
                    memberType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    methodName,
                    metadataName);
            }
        }
    }
}

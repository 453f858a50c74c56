using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TaskQueue.Generators.Shared
{
    /// <summary>Records, classes and structs: which properties are stored, and how each gets back into a new instance.</summary>
    internal sealed partial class PayloadTypeAnalyzer
    {
        private const string SetsRequiredMembers = "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute";
        private const string CompilerGenerated = "System.Runtime.CompilerServices.CompilerGeneratedAttribute";

        private PayloadTypeResult AnalyzeObject(INamedTypeSymbol type, string path)
        {
            if (!IsAccessibleFromAssembly(type))
            {
                return Fail(type, "private or protected types cannot be used by generated code; make it internal or public", path);
            }

            if (ContainsTypeParameters(type))
            {
                return Fail(type, "open generic types cannot be serialized", path);
            }

            var properties = new List<IPropertySymbol>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object && current.SpecialType != SpecialType.System_ValueType; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member.IsStatic || member.IsImplicitlyDeclared && member is not IPropertySymbol)
                    {
                        continue;
                    }

                    if (member is IFieldSymbol field && field.DeclaredAccessibility == Accessibility.Public && !field.IsConst && field.AssociatedSymbol is null)
                    {
                        return Fail(type, $"public field '{field.Name}' would not be serialized; make it a property", path);
                    }

                    if (member is IPropertySymbol property && !property.IsIndexer && property.DeclaredAccessibility == Accessibility.Public
                        && property.GetMethod is { DeclaredAccessibility: Accessibility.Public } && seen.Add(property.Name)
                        && !(type.IsRecord && property.Name == "EqualityContract"))
                    {
                        properties.Add(property);
                    }
                }
            }

            // Base-class properties first, each type's in declaration order.
            properties = properties.OrderBy(p => Depth(p.ContainingType)).ThenBy(p => p.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0).ToList();

            var constructor = ChooseConstructor(type, properties);
            if (constructor is null)
            {
                return Fail(type, "it has no usable public constructor (a parameterless one, or one whose parameters all match properties by name)", path);
            }

            var setsRequired = constructor.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == SetsRequiredMembers);
            var members = ImmutableArray.CreateBuilder<PayloadMemberShape>(properties.Count);
            var jsonNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in properties)
            {
                var memberPath = path + "." + property.Name;
                var memberResult = Analyze(property.Type, memberPath);
                if (!memberResult.IsSupported)
                {
                    return memberResult;
                }

                var jsonName = CamelCase(property.Name);
                if (!jsonNames.Add(jsonName))
                {
                    return Fail(type, $"two properties map to the JSON name '{jsonName}'", path);
                }

                var parameter = constructor.Parameters.FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase));
                var binding = Bind(property, parameter, setsRequired, out var problem);
                if (problem is not null)
                {
                    return Fail(type, problem, path);
                }

                members.Add(new PayloadMemberShape(property, jsonName, memberResult.Shape!, parameter, binding, property.IsRequired));
            }

            var lost = LostState(type, properties, constructor);
            if (lost is not null)
            {
                return Fail(type, lost, path);
            }

            var shape = new PayloadTypeShape(type, PayloadTypeKind.Object) { Members = members.MoveToImmutable(), Constructor = constructor };
            return PayloadTypeResult.Supported(shape);
        }

        /// <summary>How a read value gets into the new instance; null problem when it can.</summary>
        private static PayloadMemberBinding Bind(IPropertySymbol property, IParameterSymbol? parameter, bool setsRequired, out string? problem)
        {
            problem = null;
            var setter = property.SetMethod;
            var publicSetter = setter is { DeclaredAccessibility: Accessibility.Public };

            // Without [SetsRequiredMembers] the compiler insists on the object initializer, constructor or not.
            if (property.IsRequired && !setsRequired)
            {
                if (!publicSetter)
                {
                    problem = $"required property '{property.Name}' has no public setter, so generated code cannot set it";
                }

                return PayloadMemberBinding.Initializer;
            }

            if (parameter is not null)
            {
                return PayloadMemberBinding.Constructor;
            }

            if (publicSetter)
            {
                return setter!.IsInitOnly ? PayloadMemberBinding.Initializer : PayloadMemberBinding.Setter;
            }

            if (setter is not null)
            {
                return PayloadMemberBinding.NonPublicSetter;
            }

            if (HasBackingField(property))
            {
                return PayloadMemberBinding.BackingField;
            }

            if (!IsFromSource(property.ContainingType))
            {
                // Metadata hides private members: a private setter and a computed value look the same from here.
                problem = $"get-only property '{property.Name}' is declared in another assembly, where TaskQueue cannot tell a computed value from state set privately";
            }

            return PayloadMemberBinding.Computed;
        }

        /// <summary>A get-only auto-property (its value lives in <c>&lt;Name&gt;k__BackingField</c>).</summary>
        private static bool HasBackingField(IPropertySymbol property)
        {
            if (IsFromSource(property.ContainingType))
            {
                return property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));
            }

            // The field is private (not imported), but the compiler marks auto-property accessors.
            return property.GetMethod?.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == CompilerGenerated) == true;
        }

        /// <summary>
        /// The reason state would be lost, or null: a non-public field (or a non-public property's backing field) that no
        /// stored property's setter and not the chosen constructor mentions. Only types in source can be checked.
        /// </summary>
        private static string? LostState(INamedTypeSymbol type, List<IPropertySymbol> stored, IMethodSymbol constructor)
        {
            // An implicit constructor's syntax is the type declaration, which mentions every field: it writes nothing.
            var writers = stored.Select(p => p.SetMethod).Append(constructor.IsImplicitlyDeclared ? null : constructor)
                .SelectMany(m => m?.DeclaringSyntaxReferences ?? ImmutableArray<SyntaxReference>.Empty).Select(r => r.GetSyntax()).ToList();
            for (var current = type; current is not null && IsFromSource(current); current = current.BaseType)
            {
                foreach (var field in current.GetMembers().OfType<IFieldSymbol>())
                {
                    if (field.IsStatic || field.IsConst || field.AssociatedSymbol is IEventSymbol)
                    {
                        continue;
                    }

                    if (field.AssociatedSymbol is IPropertySymbol owner)
                    {
                        if (!stored.Any(p => SymbolEqualityComparer.Default.Equals(p, owner)))
                        {
                            return $"property '{owner.Name}' is not public, so its value would be lost; make it public or remove it";
                        }

                        continue;
                    }

                    // A readonly field with an initializer is rebuilt the same way by the new instance.
                    if (field.IsReadOnly && HasInitializer(field))
                    {
                        continue;
                    }

                    if (!writers.Any(w => w.DescendantTokens().Any(t => t.ValueText == field.Name)))
                    {
                        return $"field '{field.Name}' holds state no stored property sets, so its value would be lost; expose it through a property";
                    }
                }
            }

            return null;
        }

        private static bool HasInitializer(IFieldSymbol field)
            => field.DeclaringSyntaxReferences.Any(r => r.GetSyntax().ChildNodes().Any(n => n.RawKind == (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.EqualsValueClause));

        private static bool IsFromSource(INamedTypeSymbol type) => type.Locations.Any(l => l.IsInSource);

        private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<IPropertySymbol> properties)
        {
            IMethodSymbol? best = null;
            IMethodSymbol? parameterless = null;
            foreach (var ctor in type.InstanceConstructors)
            {
                if (ctor.DeclaredAccessibility != Accessibility.Public)
                {
                    continue;
                }

                if (ctor.Parameters.Length == 0)
                {
                    parameterless = ctor;
                    continue;
                }

                var allMatch = ctor.Parameters.All(p => p.RefKind == RefKind.None && properties.Any(
                    prop => string.Equals(prop.Name, p.Name, StringComparison.OrdinalIgnoreCase)
                        && SymbolEqualityComparer.Default.Equals(prop.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), p.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated))));
                if (allMatch && (best is null || ctor.Parameters.Length > best.Parameters.Length))
                {
                    best = ctor;
                }
            }

            // A constructor that binds properties wins: it is how records and immutable types are built.
            return best ?? parameterless;
        }

        private static int Depth(INamedTypeSymbol type)
        {
            var depth = 0;
            for (var t = type.BaseType; t is not null; t = t.BaseType)
            {
                depth++;
            }

            return depth;
        }
    }
}

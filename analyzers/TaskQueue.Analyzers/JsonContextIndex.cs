using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace TaskQueue.Analyzers;

/// <summary>
/// The user's <c>JsonSerializerContext</c>-derived classes in this compilation and the types their
/// <c>[JsonSerializable]</c> attributes declare. Built once per compilation, on first need.
/// </summary>
internal sealed class JsonContextIndex
{
    private readonly HashSet<ITypeSymbol> _declared = new(SymbolEqualityComparer.Default);

    private JsonContextIndex(INamedTypeSymbol? context)
    {
        Context = context;
    }

    /// <summary>The context to suggest adding types to (the first found, by name), or null when the compilation has none.</summary>
    public INamedTypeSymbol? Context { get; private set; }

    /// <summary>True when some context declares exactly <paramref name="type"/>.</summary>
    public bool Declares(ITypeSymbol type) => _declared.Contains(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated));

    public static JsonContextIndex Build(Compilation compilation, KnownSymbols known)
    {
        var index = new JsonContextIndex(null);
        if (known.JsonSerializerContext is null)
        {
            return index;
        }

        var contexts = new List<INamedTypeSymbol>();
        Collect(compilation.Assembly.GlobalNamespace, known.JsonSerializerContext, contexts);
        contexts.Sort((a, b) => string.CompareOrdinal(a.ToDisplayString(), b.ToDisplayString()));
        foreach (var context in contexts)
        {
            foreach (var attribute in context.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.JsonSerializableAttribute)
                    && attribute.ConstructorArguments.Length > 0
                    && attribute.ConstructorArguments[0].Value is ITypeSymbol declared)
                {
                    index._declared.Add(declared.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
                }
            }
        }

        index.Context = contexts.Count > 0 ? contexts[0] : null;
        return index;
    }

    private static void Collect(INamespaceOrTypeSymbol container, INamedTypeSymbol contextBase, List<INamedTypeSymbol> found)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceSymbol ns)
            {
                Collect(ns, contextBase, found);
            }
            else if (member is INamedTypeSymbol type)
            {
                if (type.TypeKind == TypeKind.Class && !type.IsAbstract && DerivesFrom(type, contextBase))
                {
                    found.Add(type);
                }

                Collect(type, contextBase, found);
            }
        }
    }

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol baseType)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, baseType))
            {
                return true;
            }
        }

        return false;
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TaskQueue.Generators.Shared
{
    /// <summary>
    /// The user's <c>JsonSerializerContext</c>-derived classes in this compilation and the types their
    /// <c>[JsonSerializable]</c> attributes declare, with the <c>JsonTypeInfo</c> property System.Text.Json generates
    /// for each. Built once per compilation, on first need, and shared by the generator and the analyzers.
    /// </summary>
    internal sealed class JsonContextIndex
    {
        /// <summary>System.Text.Json's <c>JsonSourceGenerationMode.Serialization</c>: fast-path writers only, no metadata to read with.</summary>
        private const int SerializationOnlyMode = 2;

        /// <summary>Members every context already has: a declared type whose property would take one of these names is refused.</summary>
        private static readonly HashSet<string> ReservedPropertyNames = new(StringComparer.Ordinal)
        {
            "Default", "Options", "GeneratedSerializerOptions", "GetTypeInfo",
        };

        private static readonly ConditionalWeakTable<Compilation, JsonContextIndex> s_cache = new();

        private readonly Compilation _compilation;
        private readonly object _gate = new();
        private Dictionary<ITypeSymbol, JsonContextEntry>? _declared;
        private INamedTypeSymbol? _suggested;

        private JsonContextIndex(Compilation compilation)
        {
            _compilation = compilation;
        }

        /// <summary>The index of <paramref name="compilation"/> (one per compilation; contexts are collected on first use).</summary>
        public static JsonContextIndex For(Compilation compilation) => s_cache.GetValue(compilation, static c => new JsonContextIndex(c));

        /// <summary>The context to suggest adding types to: the first usable one by name, or null when there is none.</summary>
        public INamedTypeSymbol? SuggestedContext
        {
            get
            {
                EnsureBuilt();
                return _suggested;
            }
        }

        /// <summary>How a context declares exactly <paramref name="type"/>, or null when none does.</summary>
        public JsonContextEntry? Find(ITypeSymbol type)
        {
            EnsureBuilt();
            return _declared!.TryGetValue(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), out var entry) ? entry : null;
        }

        private void EnsureBuilt()
        {
            lock (_gate)
            {
                if (_declared is null)
                {
                    Build();
                }
            }
        }

        private void Build()
        {
            var declared = new Dictionary<ITypeSymbol, JsonContextEntry>(SymbolEqualityComparer.Default);
            var contextBase = _compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonSerializerContext");
            var serializable = _compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonSerializableAttribute");
            var options = _compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonSourceGenerationOptionsAttribute");
            if (contextBase is null || serializable is null)
            {
                _declared = declared;
                return;
            }

            var contexts = new List<INamedTypeSymbol>();
            Collect(_compilation.Assembly.GlobalNamespace, contextBase, contexts);
            contexts.Sort((a, b) => string.CompareOrdinal(a.ToDisplayString(), b.ToDisplayString()));
            foreach (var context in contexts)
            {
                var contextProblem = ContextProblem(context, options);
                if (contextProblem is null && _suggested is null)
                {
                    _suggested = context;
                }

                var entries = new List<(ITypeSymbol Type, string Property, string? Problem)>();
                foreach (var attribute in context.GetAttributes())
                {
                    if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, serializable)
                        || attribute.ConstructorArguments.Length == 0
                        || attribute.ConstructorArguments[0].Value is not ITypeSymbol type)
                    {
                        continue;
                    }

                    var property = NamedArgument(attribute, "TypeInfoPropertyName") as string;
                    var problem = contextProblem;
                    if (problem is null && NamedArgument(attribute, "GenerationMode") is int mode && mode == SerializationOnlyMode)
                    {
                        problem = "it is declared with GenerationMode = Serialization, which generates no metadata to read payloads with";
                    }

                    entries.Add((type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), string.IsNullOrEmpty(property) ? JsonTypeInfoNames.DefaultPropertyName(type) : property!, problem));
                }

                var counts = entries.GroupBy(e => e.Property, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                foreach (var (type, property, problem) in entries)
                {
                    var entryProblem = problem
                        ?? (counts[property] > 1 ? $"two of its declared types get the JsonTypeInfo property name '{property}'; set TypeInfoPropertyName on one of them" : null)
                        ?? (ReservedPropertyNames.Contains(property) ? $"its JsonTypeInfo property name '{property}' clashes with a JsonSerializerContext member; set TypeInfoPropertyName" : null)
                        ?? (SyntaxFacts.IsValidIdentifier(property) ? null : $"'{property}' is not a valid JsonTypeInfo property name");
                    var entry = new JsonContextEntry(context, context.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), property, entryProblem);

                    // The first context by name wins, unless only a later one can actually be used.
                    if (!declared.TryGetValue(type, out var existing) || (existing.Problem is not null && entryProblem is null))
                    {
                        declared[type] = entry;
                    }
                }
            }

            _declared = declared;
        }

        /// <summary>Why System.Text.Json would generate nothing usable for <paramref name="context"/>, or null.</summary>
        private static string? ContextProblem(INamedTypeSymbol context, INamedTypeSymbol? optionsAttribute)
        {
            if (!PayloadTypeAnalyzer.IsAccessibleFromAssembly(context))
            {
                return "it is private or protected, so generated code cannot use it";
            }

            for (var t = context; t is not null; t = t.ContainingType)
            {
                if (t.IsGenericType)
                {
                    return "it is generic";
                }

                if (!IsPartial(t))
                {
                    return t.Equals(context, SymbolEqualityComparer.Default)
                        ? "it is not partial, so System.Text.Json generates nothing for it"
                        : $"its containing type '{t.Name}' is not partial, so System.Text.Json generates nothing for it";
                }
            }

            foreach (var attribute in context.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, optionsAttribute)
                    && NamedArgument(attribute, "GenerationMode") is int mode && mode == SerializationOnlyMode)
                {
                    return "it uses GenerationMode = Serialization, which generates no metadata to read payloads with";
                }
            }

            return null;
        }

        private static bool IsPartial(INamedTypeSymbol type)
            => type.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));

        private static object? NamedArgument(AttributeData attribute, string name)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == name)
                {
                    return argument.Value.Value;
                }
            }

            return null;
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

    /// <summary>One declared type of a user context: where its <c>JsonTypeInfo</c> lives, or why it cannot be used.</summary>
    internal sealed class JsonContextEntry
    {
        public JsonContextEntry(INamedTypeSymbol context, string contextFullName, string propertyName, string? problem)
        {
            Context = context;
            ContextFullName = contextFullName;
            PropertyName = propertyName;
            Problem = problem;
        }

        /// <summary>The context class.</summary>
        public INamedTypeSymbol Context { get; }

        /// <summary>Its fully qualified name, <c>global::App.AppJsonContext</c>.</summary>
        public string ContextFullName { get; }

        /// <summary>The <c>JsonTypeInfo</c> property on the context, e.g. <c>Money</c>.</summary>
        public string PropertyName { get; }

        /// <summary>Why the declaration cannot be used (serialization-only mode, a name clash, a non-partial context), or null.</summary>
        public string? Problem { get; }
    }
}

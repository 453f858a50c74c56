using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TaskQueue.Generators.Shared
{
    /// <summary>
    /// The one answer to "can a job argument of this type be serialized", shared by the generator
    /// (which emits the serializer from the shape) and the analyzers (which report the reason).
    /// One instance per compilation-level pass; it caches finished shapes.
    /// </summary>
    /// <remarks>
    /// The native shapes come first; a type they reject (at any depth) that a user JsonSerializerContext declares
    /// becomes a <see cref="PayloadTypeKind.JsonContext"/> shape, read and written with that context's JsonTypeInfo.
    /// </remarks>
    internal sealed partial class PayloadTypeAnalyzer
    {
        private readonly Dictionary<ITypeSymbol, PayloadTypeResult> _done = new(SymbolEqualityComparer.Default);
        private readonly HashSet<ITypeSymbol> _inProgress = new(SymbolEqualityComparer.Default);
        private readonly JsonContextIndex? _contexts;

        /// <summary>Creates an analyzer; without <paramref name="contexts"/> only native shapes are supported.</summary>
        public PayloadTypeAnalyzer(JsonContextIndex? contexts = null)
        {
            _contexts = contexts;
        }

        /// <summary>Analyzes <paramref name="type"/>; <paramref name="path"/> names it in reasons (a parameter name, or "result").</summary>
        public PayloadTypeResult Analyze(ITypeSymbol type, string path)
        {
            type = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
            if (_done.TryGetValue(type, out var known))
            {
                return known;
            }

            if (_inProgress.Contains(type))
            {
                return PayloadTypeResult.Unsupported(type, "its type graph is cyclic (a type contains itself), which the payload serializer does not support", path);
            }

            _inProgress.Add(type);
            try
            {
                var result = Classify(type, path);
                if (!result.IsSupported)
                {
                    result = ThroughContext(type, path) ?? result;
                }

                if (result.IsSupported)
                {
                    // Only successes are cached: a failure's member path depends on where the type was reached.
                    _done[type] = result;
                }

                return result;
            }
            finally
            {
                _inProgress.Remove(type);
            }
        }

        /// <summary>The shape through a user context that declares <paramref name="type"/>, an explicit refusal when it declares it unusably, or null.</summary>
        private PayloadTypeResult? ThroughContext(ITypeSymbol type, string path)
        {
            if (_contexts is null || !JsonContextEligibility.IsEligible(type) || _contexts.Find(type) is not { } entry)
            {
                return null;
            }

            if (entry.Problem is not null)
            {
                return PayloadTypeResult.Unsupported(type, $"the JsonSerializerContext '{entry.Context.Name}' declares it, but {entry.Problem}", path, contextCanHelp: false);
            }

            var shape = new PayloadTypeShape(type, PayloadTypeKind.JsonContext) { JsonContext = entry.ContextFullName, JsonTypeInfoProperty = entry.PropertyName };
            return PayloadTypeResult.Supported(shape);
        }

        private PayloadTypeResult Classify(ITypeSymbol type, string path)
        {
            switch (type.TypeKind)
            {
                case TypeKind.TypeParameter:
                    return Fail(type, "open generic type parameters cannot be serialized; use a concrete type", path);
                case TypeKind.Dynamic:
                    return Fail(type, "'dynamic' has no fixed shape to serialize", path);
                case TypeKind.Pointer:
                case TypeKind.FunctionPointer:
                    return Fail(type, "pointers cannot be serialized", path);
                case TypeKind.Delegate:
                    return Fail(type, "delegates cannot be serialized", path);
                case TypeKind.Error:
                    return Fail(type, "the type could not be resolved", path);
            }

            switch (type.SpecialType)
            {
                case SpecialType.System_Boolean: return Ok(type, PayloadTypeKind.Boolean);
                case SpecialType.System_Byte: return Ok(type, PayloadTypeKind.Byte);
                case SpecialType.System_SByte: return Ok(type, PayloadTypeKind.SByte);
                case SpecialType.System_Int16: return Ok(type, PayloadTypeKind.Int16);
                case SpecialType.System_UInt16: return Ok(type, PayloadTypeKind.UInt16);
                case SpecialType.System_Int32: return Ok(type, PayloadTypeKind.Int32);
                case SpecialType.System_UInt32: return Ok(type, PayloadTypeKind.UInt32);
                case SpecialType.System_Int64: return Ok(type, PayloadTypeKind.Int64);
                case SpecialType.System_UInt64: return Ok(type, PayloadTypeKind.UInt64);
                case SpecialType.System_Single: return Ok(type, PayloadTypeKind.Single);
                case SpecialType.System_Double: return Ok(type, PayloadTypeKind.Double);
                case SpecialType.System_Decimal: return Ok(type, PayloadTypeKind.Decimal);
                case SpecialType.System_Char: return Ok(type, PayloadTypeKind.Char);
                case SpecialType.System_String: return Ok(type, PayloadTypeKind.String);
                case SpecialType.System_DateTime: return Ok(type, PayloadTypeKind.DateTime);
                case SpecialType.System_Object: return Fail(type, "'object' has no fixed shape to serialize; use a concrete type", path);
                case SpecialType.System_IntPtr:
                case SpecialType.System_UIntPtr: return Fail(type, "native-sized integers are not portable between processes", path);
            }

            if (type.IsRefLikeType)
            {
                return Fail(type, "ref structs (Span, ReadOnlySpan, ...) cannot be stored", path);
            }

            if (type is IArrayTypeSymbol array)
            {
                if (!array.IsSZArray)
                {
                    return Fail(type, "multi-dimensional arrays are not supported; use an array of arrays", path);
                }

                return Wrap(type, PayloadTypeKind.Array, array.ElementType, path + "[]");
            }

            if (type is not INamedTypeSymbol named)
            {
                return Fail(type, "this kind of type is not supported", path);
            }

            if (named.IsUnboundGenericType)
            {
                return Fail(type, "open generic types cannot be serialized", path);
            }

            if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                return Wrap(type, PayloadTypeKind.Nullable, named.TypeArguments[0], path);
            }

            if (named.TypeKind == TypeKind.Enum)
            {
                return Ok(type, PayloadTypeKind.Enum);
            }

            var definition = named.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
            switch (definition)
            {
                case "System.Guid": return Ok(type, PayloadTypeKind.Guid);
                case "System.DateTimeOffset": return Ok(type, PayloadTypeKind.DateTimeOffset);
                case "System.TimeSpan": return Ok(type, PayloadTypeKind.TimeSpan);
                case "System.DateOnly": return Ok(type, PayloadTypeKind.DateOnly);
                case "System.TimeOnly": return Ok(type, PayloadTypeKind.TimeOnly);
                case "System.Collections.Generic.List<T>":
                case "System.Collections.Generic.IList<T>":
                case "System.Collections.Generic.ICollection<T>":
                case "System.Collections.Generic.IReadOnlyList<T>":
                case "System.Collections.Generic.IReadOnlyCollection<T>":
                case "System.Collections.Generic.IEnumerable<T>":
                    return Wrap(type, PayloadTypeKind.List, named.TypeArguments[0], path + "[]");
                case "System.Collections.Generic.Dictionary<TKey, TValue>":
                case "System.Collections.Generic.IDictionary<TKey, TValue>":
                case "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>":
                    if (named.TypeArguments[0].SpecialType != SpecialType.System_String)
                    {
                        return Fail(type, "dictionary keys must be strings", path);
                    }

                    return Wrap(type, PayloadTypeKind.Dictionary, named.TypeArguments[1], path + "[]");
            }

            if (IsOrDerivesFrom(named, "System.IO.Stream"))
            {
                return Fail(type, "streams cannot be stored in a job payload; pass a path, URL or blob id instead", path);
            }

            var ns = named.ContainingNamespace?.ToDisplayString() ?? string.Empty;
            if (ns == "System.Threading.Tasks")
            {
                return Fail(type, "tasks cannot be stored in a job payload", path);
            }

            if (named.TypeKind == TypeKind.Interface)
            {
                return Fail(type, "interfaces cannot be deserialized; use a concrete type", path);
            }

            if (named.IsAbstract || named.IsStatic)
            {
                return Fail(type, "abstract types cannot be deserialized; use a concrete type", path);
            }

            if (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal) || ns == "Microsoft" || ns.StartsWith("Microsoft.", StringComparison.Ordinal))
            {
                return Fail(type, "this framework type is not supported by the payload serializer", path);
            }

            if (named.AllInterfaces.Any(i => i.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) == "System.Collections.IEnumerable"))
            {
                // Its items would be lost: only its properties (Count, Capacity...) would be written.
                return Fail(type, "custom collection types are not supported; use T[], List<T> or Dictionary<string, T>", path);
            }

            if (named.TypeKind != TypeKind.Class && named.TypeKind != TypeKind.Struct)
            {
                return Fail(type, "this kind of type is not supported", path);
            }

            return AnalyzeObject(named, path);
        }

        private static bool ContainsTypeParameters(INamedTypeSymbol type)
        {
            for (var t = type; t is not null; t = t.ContainingType)
            {
                if (t.TypeArguments.Any(a => a.TypeKind == TypeKind.TypeParameter))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>True when code elsewhere in the same assembly may use the type (no private/protected type on the nesting chain).</summary>
        internal static bool IsAccessibleFromAssembly(ISymbol symbol)
        {
            for (var s = symbol; s is not null && s.Kind != SymbolKind.Namespace; s = s.ContainingSymbol)
            {
                switch (s.DeclaredAccessibility)
                {
                    case Accessibility.Public:
                    case Accessibility.Internal:
                    case Accessibility.ProtectedOrInternal:
                        continue;
                    default:
                        return false;
                }
            }

            return true;
        }

        private static bool IsOrDerivesFrom(INamedTypeSymbol type, string fullName)
        {
            for (INamedTypeSymbol? t = type; t is not null; t = t.BaseType)
            {
                if (t.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) == fullName)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>System.Text.Json's camelCase rule: "URLValue" -> "urlValue", "Id" -> "id".</summary>
        internal static string CamelCase(string name)
        {
            if (name.Length == 0 || !char.IsUpper(name[0]))
            {
                return name;
            }

            var chars = name.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                if (i == 1 && !char.IsUpper(chars[i]))
                {
                    break;
                }

                var hasNext = i + 1 < chars.Length;
                if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
                {
                    if (chars[i + 1] == ' ')
                    {
                        chars[i] = char.ToLowerInvariant(chars[i]);
                    }

                    break;
                }

                chars[i] = char.ToLowerInvariant(chars[i]);
            }

            return new string(chars);
        }

        private PayloadTypeResult Wrap(ITypeSymbol type, PayloadTypeKind kind, ITypeSymbol element, string elementPath)
        {
            var inner = Analyze(element, elementPath);
            return inner.IsSupported ? Ok(type, kind, inner.Shape) : inner;
        }

        private static PayloadTypeResult Ok(ITypeSymbol type, PayloadTypeKind kind, PayloadTypeShape? element = null)
            => PayloadTypeResult.Supported(new PayloadTypeShape(type, kind, element));

        private static PayloadTypeResult Fail(ITypeSymbol type, string reason, string path)
            => PayloadTypeResult.Unsupported(type, reason, path);
    }
}

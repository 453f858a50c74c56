using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TaskQueue.Generators.Shared
{
    /// <summary>
    /// A type the payload serializer supports and how. Holds symbols, so it lives only inside one
    /// analysis or one generator transform; never cache it.
    /// </summary>
    internal sealed class PayloadTypeShape
    {
        public PayloadTypeShape(ITypeSymbol type, PayloadTypeKind kind, PayloadTypeShape? element = null)
        {
            Type = type;
            Kind = kind;
            Element = element;
            Members = ImmutableArray<PayloadMemberShape>.Empty;
        }

        /// <summary>The type, without nullable annotation.</summary>
        public ITypeSymbol Type { get; }

        /// <summary>How it is written.</summary>
        public PayloadTypeKind Kind { get; }

        /// <summary>The underlying type of a nullable, the element of an array or list, the value of a dictionary.</summary>
        public PayloadTypeShape? Element { get; }

        /// <summary>For <see cref="PayloadTypeKind.Object"/>: the serialized properties, in declaration order.</summary>
        public ImmutableArray<PayloadMemberShape> Members { get; internal set; }

        /// <summary>For <see cref="PayloadTypeKind.Object"/>: the constructor used when reading.</summary>
        public IMethodSymbol? Constructor { get; internal set; }

        /// <summary>For <see cref="PayloadTypeKind.JsonContext"/>: the context's fully qualified name, e.g. <c>global::App.AppJsonContext</c>.</summary>
        public string? JsonContext { get; internal set; }

        /// <summary>For <see cref="PayloadTypeKind.JsonContext"/>: the context's <c>JsonTypeInfo</c> property for the type.</summary>
        public string? JsonTypeInfoProperty { get; internal set; }
    }

    /// <summary>One serialized property of an object shape.</summary>
    internal sealed class PayloadMemberShape
    {
        public PayloadMemberShape(IPropertySymbol property, string jsonName, PayloadTypeShape type, IParameterSymbol? constructorParameter, PayloadMemberBinding binding, bool isRequired)
        {
            Property = property;
            JsonName = jsonName;
            Type = type;
            ConstructorParameter = constructorParameter;
            Binding = binding;
            IsRequired = isRequired;
        }

        /// <summary>The property.</summary>
        public IPropertySymbol Property { get; }

        /// <summary>The camelCase JSON name.</summary>
        public string JsonName { get; }

        /// <summary>The property's shape.</summary>
        public PayloadTypeShape Type { get; }

        /// <summary>The constructor parameter that receives it when reading, if any.</summary>
        public IParameterSymbol? ConstructorParameter { get; }

        /// <summary>How a read value gets into the new instance.</summary>
        public PayloadMemberBinding Binding { get; }

        /// <summary>True for a <c>required</c> member.</summary>
        public bool IsRequired { get; }
    }

    /// <summary>Either a supported shape or the reason a type cannot be serialized, and where.</summary>
    internal sealed class PayloadTypeResult
    {
        private PayloadTypeResult(PayloadTypeShape? shape, string? reason, string? memberPath, string? typeName, ITypeSymbol? contextCandidate)
        {
            Shape = shape;
            Reason = reason;
            MemberPath = memberPath;
            TypeName = typeName;
            ContextCandidate = contextCandidate;
        }

        /// <summary>The shape, when supported.</summary>
        public PayloadTypeShape? Shape { get; }

        /// <summary>Why not, e.g. "interfaces cannot be deserialized"; null when supported.</summary>
        public string? Reason { get; }

        /// <summary>Where the unsupported type sits, e.g. <c>order.Customer.Logger</c>; null when supported.</summary>
        public string? MemberPath { get; }

        /// <summary>The unsupported type's display name; null when supported.</summary>
        public string? TypeName { get; }

        /// <summary>
        /// When unsupported: the type that, declared in a user JsonSerializerContext, would make it supported (the
        /// unsupported type itself, if eligible); null when a context cannot help or already declares it unusably.
        /// </summary>
        public ITypeSymbol? ContextCandidate { get; }

        /// <summary>True when the type can be serialized.</summary>
        public bool IsSupported => Shape is not null;

        public static PayloadTypeResult Supported(PayloadTypeShape shape) => new(shape, null, null, null, null);

        public static PayloadTypeResult Unsupported(ITypeSymbol type, string reason, string memberPath, bool contextCanHelp = true)
            => new(null, reason, memberPath, type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat),
                contextCanHelp && JsonContextEligibility.IsEligible(type) ? type : null);
    }
}

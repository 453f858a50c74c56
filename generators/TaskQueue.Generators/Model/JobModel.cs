using TaskQueue.Generators.Shared;

namespace TaskQueue.Generators.Model
{
    /// <summary>
    /// Everything the emitter needs about one [Job] method, as plain values (no symbols, syntax or
    /// locations) so the incremental pipeline can compare and cache it. A job with an error keeps only
    /// <see cref="JobName"/> and <see cref="HasErrors"/>.
    /// </summary>
    internal sealed record JobModel(
        string JobName,
        bool HasErrors,
        string Namespace,
        string ContainingType,
        string ContainingTypeName,
        string MethodName,
        string ClassName,
        bool IsPublic,
        bool IsStatic,
        string Queue,
        int Priority,
        int MaxRetries,
        long? TimeoutTicks,
        int Retry,
        long RetryBaseDelayTicks,
        long RetryMaxDelayTicks,
        EquatableArray<ParameterModel> Parameters,
        JobReturnKind ReturnKind,
        string? ResultTypeId,
        string? ResultTypeName,
        EquatableArray<TypeModel> Types,
        EquatableArray<ScheduleModel> Schedules)
    {
        /// <summary>A job the generator skips because it has an error-level problem.</summary>
        public static JobModel Invalid(string jobName) => new(
            jobName, true, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, false, true, string.Empty, 0, 0, null, 0, 0, 0,
            EquatableArray<ParameterModel>.Empty, JobReturnKind.Unsupported, null, null, EquatableArray<TypeModel>.Empty, EquatableArray<ScheduleModel>.Empty);
    }

    /// <summary>One parameter of a job method.</summary>
    /// <param name="Name">The declared name, also the JSON name.</param>
    /// <param name="Identifier">The name as a C# identifier (keywords escaped with @).</param>
    /// <param name="TypeName">The declared type with nullable annotations, fully qualified.</param>
    /// <param name="Role">Payload or injected.</param>
    /// <param name="TypeId">The serializer id for payload parameters.</param>
    /// <param name="DefaultValue">The default value as C# text, or null when it has none.</param>
    internal sealed record ParameterModel(string Name, string Identifier, string TypeName, JobParameterRole Role, string? TypeId, string? DefaultValue);

    /// <summary>One type that needs a write/read pair in the assembly's serializer class.</summary>
    /// <param name="Id">A C# identifier unique per type, used in method names.</param>
    /// <param name="FullName">The fully qualified type name without nullable reference annotations.</param>
    /// <param name="Kind">How it is serialized.</param>
    /// <param name="IsReferenceType">True when null is a possible value.</param>
    /// <param name="ElementId">Nullable underlying / element / dictionary value type id.</param>
    /// <param name="ElementFullName">Its full name.</param>
    /// <param name="Members">Object properties.</param>
    /// <param name="ConstructorMembers">Object: indexes into <paramref name="Members"/> in constructor parameter order.</param>
    /// <param name="EnumMembers">Enum members.</param>
    /// <param name="EnumUnderlyingType">Enum underlying type keyword, e.g. "int".</param>
    /// <param name="JsonContext">For a type serialized through a user JsonSerializerContext: the context's full name.</param>
    /// <param name="JsonTypeInfoProperty">Its JsonTypeInfo property for the type, as a C# identifier.</param>
    internal sealed record TypeModel(
        string Id,
        string FullName,
        PayloadTypeKind Kind,
        bool IsReferenceType,
        string? ElementId,
        string? ElementFullName,
        EquatableArray<MemberModel> Members,
        EquatableArray<int> ConstructorMembers,
        EquatableArray<EnumMemberModel> EnumMembers,
        string? EnumUnderlyingType,
        string? JsonContext,
        string? JsonTypeInfoProperty);

    /// <summary>One serialized property.</summary>
    /// <param name="PropertyName">The property as a C# identifier.</param>
    /// <param name="JsonName">The camelCase JSON name.</param>
    /// <param name="TypeId">The property type's serializer id.</param>
    /// <param name="TypeFullName">The property type's full name.</param>
    /// <param name="Binding">How a read value gets into the object.</param>
    /// <param name="DefaultValue">For constructor parameters with a default: its C# text.</param>
    /// <param name="Accessor">For <see cref="MemberBinding.NonPublicSetter"/> and <see cref="MemberBinding.BackingField"/>: the UnsafeAccessor to call.</param>
    /// <param name="NotNullAnnotated">A reference-type property declared non-nullable (<c>string</c>, not <c>string?</c>) in a nullable-enabled context: its JSON Schema leaves out null.</param>
    internal sealed record MemberModel(string PropertyName, string JsonName, string TypeId, string TypeFullName, MemberBinding Binding, string? DefaultValue, AccessorModel? Accessor = null, bool NotNullAnnotated = false);

    /// <summary>An <c>[UnsafeAccessor]</c> extern in a (possibly generic) holder class per declaring type definition.</summary>
    /// <param name="HolderId">The holder class name, from the declaring type's definition, e.g. <c>Access_Shapes_Box_Of_T</c>.</param>
    /// <param name="TypeParameters">The definition's type parameters (containing types' first), e.g. <c>&lt;T&gt;</c>, or empty.</param>
    /// <param name="TypeArguments">This use's type arguments, e.g. <c>&lt;global::Shapes.Line&gt;</c>, or empty.</param>
    /// <param name="OwnerType">The declaring type in terms of <paramref name="TypeParameters"/>, e.g. <c>global::Shapes.Box&lt;T&gt;</c>.</param>
    /// <param name="OwnerIsValueType">Structs are passed by ref so the write lands in the caller's copy.</param>
    /// <param name="MemberType">The property type in terms of <paramref name="TypeParameters"/>.</param>
    /// <param name="MethodName">The extern's C# name, e.g. <c>Set_Balance</c> or <c>Field_Balance</c>.</param>
    /// <param name="MetadataName">What it binds to: <c>set_Balance</c> or <c>&lt;Balance&gt;k__BackingField</c>.</param>
    internal sealed record AccessorModel(string HolderId, string TypeParameters, string TypeArguments, string OwnerType, bool OwnerIsValueType, string MemberType, string MethodName, string MetadataName);

    /// <summary>How a property is set when reading.</summary>
    internal enum MemberBinding
    {
        /// <summary>Computed (no setter, no backing field): written, skipped on read.</summary>
        WriteOnly,
        /// <summary>Passed to the constructor.</summary>
        Constructor,
        /// <summary>Set in the object initializer (init or required): must be present.</summary>
        Initializer,
        /// <summary>Assigned after construction, only when present (keeps the declared default otherwise).</summary>
        Setter,
        /// <summary>A non-public setter called through its UnsafeAccessor after construction, only when present.</summary>
        NonPublicSetter,
        /// <summary>A get-only auto-property's backing field, written through its UnsafeAccessor after construction, only when present.</summary>
        BackingField,
    }

    /// <summary>An enum member.</summary>
    /// <param name="Name">The member name, also its JSON text.</param>
    /// <param name="IsFirstOfValue">False for aliases of an earlier member's value (not used when writing).</param>
    internal sealed record EnumMemberModel(string Name, bool IsFirstOfValue);
}

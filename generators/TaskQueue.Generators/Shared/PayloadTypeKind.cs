namespace TaskQueue.Generators.Shared
{
    /// <summary>How a supported type is written to and read from job JSON.</summary>
    internal enum PayloadTypeKind
    {
        /// <summary><c>bool</c>: JSON true/false.</summary>
        Boolean,
        /// <summary><c>byte</c>: JSON number.</summary>
        Byte,
        /// <summary><c>sbyte</c>: JSON number.</summary>
        SByte,
        /// <summary><c>short</c>: JSON number.</summary>
        Int16,
        /// <summary><c>ushort</c>: JSON number.</summary>
        UInt16,
        /// <summary><c>int</c>: JSON number.</summary>
        Int32,
        /// <summary><c>uint</c>: JSON number.</summary>
        UInt32,
        /// <summary><c>long</c>: JSON number.</summary>
        Int64,
        /// <summary><c>ulong</c>: JSON number.</summary>
        UInt64,
        /// <summary><c>float</c>: JSON number, or "NaN"/"Infinity"/"-Infinity".</summary>
        Single,
        /// <summary><c>double</c>: JSON number, or "NaN"/"Infinity"/"-Infinity".</summary>
        Double,
        /// <summary><c>decimal</c>: JSON number.</summary>
        Decimal,
        /// <summary><c>char</c>: a one-character JSON string.</summary>
        Char,
        /// <summary><c>string</c>: JSON string or null.</summary>
        String,
        /// <summary><c>Guid</c>: JSON string.</summary>
        Guid,
        /// <summary><c>DateTime</c>: ISO 8601 JSON string (keeps the kind).</summary>
        DateTime,
        /// <summary><c>DateTimeOffset</c>: ISO 8601 JSON string (keeps the offset).</summary>
        DateTimeOffset,
        /// <summary><c>TimeSpan</c>: JSON string in the invariant "c" format.</summary>
        TimeSpan,
        /// <summary><c>DateOnly</c>: "yyyy-MM-dd".</summary>
        DateOnly,
        /// <summary><c>TimeOnly</c>: "HH:mm:ss.fffffff".</summary>
        TimeOnly,
        /// <summary>An enum: its member name (numbers accepted on read).</summary>
        Enum,
        /// <summary><c>Nullable&lt;T&gt;</c>: the value or JSON null.</summary>
        Nullable,
        /// <summary><c>T[]</c>: JSON array.</summary>
        Array,
        /// <summary><c>List&lt;T&gt;</c> and the list/sequence interfaces it implements: JSON array, read as a list.</summary>
        List,
        /// <summary><c>Dictionary&lt;string,T&gt;</c> and its interfaces: JSON object, read as a dictionary.</summary>
        Dictionary,
        /// <summary>A record, class or struct of supported properties: JSON object with camelCase names.</summary>
        Object,
        /// <summary>A type only a user JsonSerializerContext handles: written and read with its JsonTypeInfo.</summary>
        JsonContext,
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using TaskQueue.Generators.Model;
using TaskQueue.Generators.Shared;

namespace TaskQueue.Generators
{
    public sealed partial class JobGenerator
    {
        /// <summary>
        /// The JSON Schema (draft 2020-12) of a job's arguments, set on its <c>Definition</c> with the validator the HTTP API
        /// calls on a request body. The schema describes what the generated serializer writes (the canonical form); the
        /// reader accepts all of it and a little more (enum numbers, null for reference types declared non-nullable).
        /// Nested types are inlined: payload types cannot be cyclic, so no <c>$ref</c> is needed.
        /// </summary>
        internal static partial class Emitter
        {
            private const string SchemaDialect = "https://json-schema.org/draft/2020-12/schema";

            /// <summary>The <c>ArgumentsSchema</c> and <c>ArgumentsValidator</c> lines of the definition's object initializer.</summary>
            private static void EmitSchemaInitializers(SourceWriter w, JobModel job)
            {
                var payload = job.Parameters.Where(p => p.Role == JobParameterRole.Payload).ToList();
                w.Line("// The API validates a request body with the worker's own reader before anything is stored.");
                w.Line("ArgumentsSchema = " + Literal(ArgumentsSchema(job)) + ",");
                var outs = string.Concat(payload.Select(_ => ", out _"));
                w.Line("ArgumentsValidator = static payload => Deserialize(payload" + outs + "),");
            }

            /// <summary>The schema of the job's payload object as compact JSON text.</summary>
            internal static string ArgumentsSchema(JobModel job)
            {
                var types = new Dictionary<string, TypeModel>(StringComparer.Ordinal);
                foreach (var type in job.Types)
                {
                    types[type.Id] = type;
                }

                var properties = new List<string>();
                var required = new List<string>();
                foreach (var p in job.Parameters.Where(p => p.Role == JobParameterRole.Payload))
                {
                    var type = types[p.TypeId!];
                    var allowNull = type.IsReferenceType && p.TypeName.EndsWith("?", StringComparison.Ordinal);
                    properties.Add(JsonString(p.Name) + ":" + Schema(type, allowNull, types, extra: null));
                    if (p.DefaultValue is null)
                    {
                        required.Add(JsonString(p.Name));
                    }
                }

                var builder = new StringBuilder();
                builder.Append("{\"$schema\":").Append(JsonString(SchemaDialect));
                builder.Append(",\"title\":").Append(JsonString(job.JobName));
                builder.Append(",\"type\":\"object\",\"properties\":{").Append(string.Join(",", properties)).Append('}');
                builder.Append(",\"required\":[").Append(string.Join(",", required)).Append("]}");
                return builder.ToString();
            }

            private static string Schema(TypeModel type, bool allowNull, Dictionary<string, TypeModel> types, string? extra)
            {
                switch (type.Kind)
                {
                    case PayloadTypeKind.Boolean:
                        return Typed("boolean", allowNull, extra);
                    case PayloadTypeKind.Byte:
                        return Integer(byte.MinValue, byte.MaxValue, allowNull, extra);
                    case PayloadTypeKind.SByte:
                        return Integer(sbyte.MinValue, sbyte.MaxValue, allowNull, extra);
                    case PayloadTypeKind.Int16:
                        return Integer(short.MinValue, short.MaxValue, allowNull, extra);
                    case PayloadTypeKind.UInt16:
                        return Integer(ushort.MinValue, ushort.MaxValue, allowNull, extra);
                    case PayloadTypeKind.Int32:
                        return Typed("integer", allowNull, Append("\"format\":\"int32\"", extra));
                    case PayloadTypeKind.UInt32:
                        return Integer(uint.MinValue, uint.MaxValue, allowNull, extra);
                    case PayloadTypeKind.Int64:
                        return Typed("integer", allowNull, Append("\"format\":\"int64\"", extra));
                    case PayloadTypeKind.UInt64:
                        return Typed("integer", allowNull, Append("\"minimum\":0,\"format\":\"uint64\"", extra));
                    case PayloadTypeKind.Decimal:
                        return Typed("number", allowNull, Append("\"format\":\"decimal\"", extra));
                    case PayloadTypeKind.Single:
                    case PayloadTypeKind.Double:
                        // A number, or the named literals the writer uses for NaN and the infinities.
                        return "{\"anyOf\":[{\"type\":\"number\"},{\"enum\":[\"NaN\",\"Infinity\",\"-Infinity\"]}"
                            + (allowNull ? ",{\"type\":\"null\"}" : string.Empty) + "]" + (extra is null ? string.Empty : "," + extra) + "}";
                    case PayloadTypeKind.Char:
                        return Typed("string", allowNull, Append("\"minLength\":1,\"maxLength\":1", extra));
                    case PayloadTypeKind.String:
                        return Typed("string", allowNull, extra);
                    case PayloadTypeKind.Guid:
                        return Typed("string", allowNull, Append("\"format\":\"uuid\"", extra));
                    case PayloadTypeKind.DateTime:
                    case PayloadTypeKind.DateTimeOffset:
                        return Typed("string", allowNull, Append("\"format\":\"date-time\"", extra));
                    case PayloadTypeKind.TimeSpan:
                        return Typed("string", allowNull, Append("\"pattern\":" + JsonString(@"^-?(\d+\.)?\d{1,2}:\d{1,2}:\d{1,2}(\.\d{1,7})?$") + ",\"description\":\"d.hh:mm:ss.fffffff\"", extra));
                    case PayloadTypeKind.DateOnly:
                        return Typed("string", allowNull, Append("\"format\":\"date\"", extra));
                    case PayloadTypeKind.TimeOnly:
                        return Typed("string", allowNull, Append("\"pattern\":" + JsonString(@"^\d{2}:\d{2}:\d{2}\.\d{7}$") + ",\"description\":\"HH:mm:ss.fffffff\"", extra));
                    case PayloadTypeKind.Enum:
                        // Member names; the writer uses the number for a value with no name (e.g. a flags combination).
                        var names = string.Join(",", type.EnumMembers.Select(m => JsonString(m.Name)));
                        return "{\"anyOf\":[{\"type\":\"string\",\"enum\":[" + names + "]},{\"type\":\"integer\"}"
                            + (allowNull ? ",{\"type\":\"null\"}" : string.Empty) + "]" + (extra is null ? string.Empty : "," + extra) + "}";
                    case PayloadTypeKind.Nullable:
                        return Schema(types[type.ElementId!], allowNull: true, types, extra);
                    case PayloadTypeKind.Array:
                    case PayloadTypeKind.List:
                        return Typed("array", allowNull, Append("\"items\":" + Element(type, types), extra));
                    case PayloadTypeKind.Dictionary:
                        return Typed("object", allowNull, Append("\"additionalProperties\":" + Element(type, types), extra));
                    case PayloadTypeKind.Object:
                        return ObjectSchema(type, allowNull, types, extra);
                    default:
                        // A type a user JsonSerializerContext reads: any JSON its contract accepts.
                        var description = "\"description\":" + JsonString("read by " + (type.JsonContext ?? string.Empty).Replace("global::", string.Empty) + " as " + type.FullName.Replace("global::", string.Empty));
                        return "{" + Append(description, extra) + "}";
                }
            }

            /// <summary>Elements of arrays, lists and dictionaries: their nullable annotations are not in the model, and the reader accepts null for reference types.</summary>
            private static string Element(TypeModel type, Dictionary<string, TypeModel> types)
            {
                var element = types[type.ElementId!];
                return Schema(element, element.IsReferenceType, types, extra: null);
            }

            private static string ObjectSchema(TypeModel type, bool allowNull, Dictionary<string, TypeModel> types, string? extra)
            {
                var properties = new List<string>();
                var required = new List<string>();
                foreach (var member in type.Members)
                {
                    var memberType = types[member.TypeId];
                    var memberNull = memberType.IsReferenceType && !member.NotNullAnnotated;
                    properties.Add(JsonString(member.JsonName) + ":" + Schema(memberType, memberNull, types, member.Binding == MemberBinding.WriteOnly ? "\"readOnly\":true" : null));
                    if ((member.Binding == MemberBinding.Constructor && member.DefaultValue is null) || member.Binding == MemberBinding.Initializer)
                    {
                        required.Add(JsonString(member.JsonName));
                    }
                }

                var body = "\"properties\":{" + string.Join(",", properties) + "}";
                if (required.Count > 0)
                {
                    body += ",\"required\":[" + string.Join(",", required) + "]";
                }

                return Typed("object", allowNull, Append(body, extra));
            }

            private static string Integer(long minimum, long maximum, bool allowNull, string? extra)
                => Typed("integer", allowNull, Append("\"minimum\":" + minimum.ToString(CultureInfo.InvariantCulture) + ",\"maximum\":" + maximum.ToString(CultureInfo.InvariantCulture), extra));

            private static string Typed(string type, bool allowNull, string? rest)
            {
                var typeValue = allowNull ? "[\"" + type + "\",\"null\"]" : "\"" + type + "\"";
                return "{\"type\":" + typeValue + (rest is null ? string.Empty : "," + rest) + "}";
            }

            private static string Append(string first, string? second) => second is null ? first : first + "," + second;

            /// <summary>A JSON string literal (RFC 8259 escaping).</summary>
            private static string JsonString(string value)
            {
                var builder = new StringBuilder(value.Length + 2).Append('"');
                foreach (var c in value)
                {
                    switch (c)
                    {
                        case '"':
                            builder.Append("\\\"");
                            break;
                        case '\\':
                            builder.Append("\\\\");
                            break;
                        default:
                            if (c < ' ')
                            {
                                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                            }
                            else
                            {
                                builder.Append(c);
                            }

                            break;
                    }
                }

                return builder.Append('"').ToString();
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TaskQueue.Generators.Model;
using TaskQueue.Generators.Shared;

namespace TaskQueue.Generators
{
    public sealed partial class JobGenerator
    {
        /// <summary>The assembly's payload serializer class: one Write_X/Read_X pair per type.</summary>
        internal static partial class Emitter
        {
            private static string EmitSerializers(IEnumerable<TypeModel> types, string assemblyId)
            {
                var typeList = types.ToList();
                var w = new SourceWriter();
                w.Line(Header);
                w.Line("// One write/read pair per type. Nullable-oblivious on purpose: one method serves every nullability annotation of its type.");
                w.Line("#nullable disable").Line();
                w.Open("namespace TaskQueue.Generated");
                w.Line("/// <summary>Reflection-free JSON writers and readers for the job argument types of this assembly.</summary>");
                w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"TaskQueue.Generators\", \"1.0.0\")]");
                w.Open("internal static partial class " + assemblyId + "PayloadSerializers");
                var first = true;
                foreach (var type in typeList)
                {
                    if (!first)
                    {
                        w.Line();
                    }

                    first = false;
                    EmitWrite(w, type);
                    w.Line();
                    EmitRead(w, type);
                }

                EmitAccessors(w, typeList);

                w.Close();
                w.Close();
                return w.ToString();
            }

            private static void EmitWrite(SourceWriter w, TypeModel type)
            {
                w.Open("public static void Write_" + type.Id + "(" + JsonWriter + " writer, " + type.FullName + " value)");
                switch (type.Kind)
                {
                    case PayloadTypeKind.Boolean:
                        w.Line("writer.WriteBooleanValue(value);");
                        break;
                    case PayloadTypeKind.Byte:
                    case PayloadTypeKind.SByte:
                    case PayloadTypeKind.Int16:
                    case PayloadTypeKind.UInt16:
                    case PayloadTypeKind.Int32:
                    case PayloadTypeKind.UInt32:
                    case PayloadTypeKind.Int64:
                    case PayloadTypeKind.UInt64:
                    case PayloadTypeKind.Decimal:
                        w.Line("writer.WriteNumberValue(value);");
                        break;
                    case PayloadTypeKind.Single:
                    case PayloadTypeKind.Double:
                    case PayloadTypeKind.Char:
                    case PayloadTypeKind.TimeSpan:
                    case PayloadTypeKind.DateOnly:
                    case PayloadTypeKind.TimeOnly:
                        w.Line(Writing + ".Write" + type.Kind + "(writer, value);");
                        break;
                    case PayloadTypeKind.String:
                        w.Line(Writing + ".WriteString(writer, value);");
                        break;
                    case PayloadTypeKind.Guid:
                    case PayloadTypeKind.DateTime:
                    case PayloadTypeKind.DateTimeOffset:
                        w.Line("writer.WriteStringValue(value);");
                        break;
                    case PayloadTypeKind.Enum:
                        w.Open("switch (value)");
                        foreach (var member in type.EnumMembers.Where(m => m.IsFirstOfValue))
                        {
                            w.Line("case " + type.FullName + "." + Parser.Identifier(member.Name) + ": writer.WriteStringValue(" + Utf8(member.Name) + "); break;");
                        }

                        w.Line("default: writer.WriteNumberValue((" + type.EnumUnderlyingType + ")value); break;");
                        w.Close();
                        break;
                    case PayloadTypeKind.Nullable:
                        w.Open("if (value.HasValue)").Line("Write_" + type.ElementId + "(writer, value.GetValueOrDefault());").Close();
                        w.Open("else").Line("writer.WriteNullValue();").Close();
                        break;
                    case PayloadTypeKind.Array:
                    case PayloadTypeKind.List:
                        w.Open("if (value is null)").Line("writer.WriteNullValue();").Line("return;").Close();
                        w.Line("writer.WriteStartArray();");
                        w.Open("foreach (var item in value)").Line("Write_" + type.ElementId + "(writer, item);").Close();
                        w.Line("writer.WriteEndArray();");
                        break;
                    case PayloadTypeKind.Dictionary:
                        w.Open("if (value is null)").Line("writer.WriteNullValue();").Line("return;").Close();
                        w.Line("writer.WriteStartObject();");
                        w.Open("foreach (var pair in value)");
                        w.Line(Writing + ".WritePropertyName(writer, pair.Key);");
                        w.Line("Write_" + type.ElementId + "(writer, pair.Value);");
                        w.Close();
                        w.Line("writer.WriteEndObject();");
                        break;
                    case PayloadTypeKind.Object:
                        if (type.IsReferenceType)
                        {
                            w.Open("if (value is null)").Line("writer.WriteNullValue();").Line("return;").Close();
                        }

                        w.Line("writer.WriteStartObject();");
                        foreach (var member in type.Members)
                        {
                            w.Line("writer.WritePropertyName(" + Utf8(member.JsonName) + ");");
                            w.Line("Write_" + member.TypeId + "(writer, value." + member.PropertyName + ");");
                        }

                        w.Line("writer.WriteEndObject();");
                        break;
                    case PayloadTypeKind.JsonContext:
                        // Exceptions reach the proxy's Serialize, which names the job and parameter.
                        w.Line("global::System.Text.Json.JsonSerializer.Serialize(writer, value, " + TypeInfo(type) + ");");
                        break;
                }

                w.Close();
            }

            /// <summary>The user context's JsonTypeInfo for the type: <c>global::App.AppJsonContext.Default.Money</c>.</summary>
            private static string TypeInfo(TypeModel type) => type.JsonContext + ".Default." + type.JsonTypeInfoProperty;

            /// <summary>
            /// Reads through the user context's JsonTypeInfo (AOT-safe, no reflection). A failure inside it becomes a
            /// JobPayloadException naming the job, the parameter and the path (ours up to the value, then System.Text.Json's inside it).
            /// </summary>
            private static void EmitReadThroughContext(SourceWriter w, TypeModel type)
            {
                w.Open("try");
                w.Line("return global::System.Text.Json.JsonSerializer.Deserialize(ref reader, " + TypeInfo(type) + ");");
                w.Close();
                w.Open("catch (global::System.Exception ex) when (ex is not global::TaskQueue.JobPayloadException)");
                w.Line("var inner = ex is global::System.Text.Json.JsonException { Path: { Length: > 1 } path } && path[0] == '$' ? path.Substring(1) : \"\";");
                w.Line("throw new global::TaskQueue.JobPayloadException(state.JobName, state.Parameter, state.Path + inner, "
                    + Literal("the value does not fit " + type.FullName.Replace("global::", string.Empty) + " (read with " + type.JsonContext!.Replace("global::", string.Empty) + "): ") + " + ex.Message, ex);");
                w.Close();
            }

            private static void EmitRead(SourceWriter w, TypeModel type)
            {
                w.Open("public static " + type.FullName + " Read_" + type.Id + "(ref " + JsonReader + " reader, " + State + " state)");
                switch (type.Kind)
                {
                    case PayloadTypeKind.Enum:
                        EmitReadEnum(w, type);
                        break;
                    case PayloadTypeKind.Nullable:
                        w.Open("if (reader.TokenType == global::System.Text.Json.JsonTokenType.Null)").Line("return null;").Close();
                        w.Line("return Read_" + type.ElementId + "(ref reader, state);");
                        break;
                    case PayloadTypeKind.Array:
                    case PayloadTypeKind.List:
                        var list = "global::System.Collections.Generic.List<" + type.ElementFullName + ">";
                        w.Open("if (reader.TokenType == global::System.Text.Json.JsonTokenType.Null)").Line("return null;").Close();
                        w.Line(Reader + ".ExpectStartArray(ref reader, state);");
                        w.Line("var items = new " + list + "();");
                        w.Open("while (" + Reader + ".NextElement(ref reader, state))");
                        w.Line("state.PushIndex(items.Count);");
                        w.Line("items.Add(Read_" + type.ElementId + "(ref reader, state));");
                        w.Line("state.Pop();");
                        w.Close();
                        w.Line(type.Kind == PayloadTypeKind.Array ? "return items.ToArray();" : "return items;");
                        break;
                    case PayloadTypeKind.Dictionary:
                        w.Open("if (reader.TokenType == global::System.Text.Json.JsonTokenType.Null)").Line("return null;").Close();
                        w.Line(Reader + ".ExpectStartObject(ref reader, state);");
                        w.Line("var items = new global::System.Collections.Generic.Dictionary<string, " + type.ElementFullName + ">();");
                        w.Open("while (" + Reader + ".NextProperty(ref reader, state))");
                        w.Line("var key = " + Reader + ".ReadText(ref reader, state);");
                        w.Line(Reader + ".MoveToValue(ref reader, state);");
                        w.Line("state.Push(key);");
                        w.Line("items[key] = Read_" + type.ElementId + "(ref reader, state);");
                        w.Line("state.Pop();");
                        w.Close();
                        w.Line("return items;");
                        break;
                    case PayloadTypeKind.Object:
                        EmitReadObject(w, type);
                        break;
                    case PayloadTypeKind.JsonContext:
                        EmitReadThroughContext(w, type);
                        break;
                    default:
                        w.Line("return " + Reader + ".Read" + type.Kind + "(ref reader, state);");
                        break;
                }

                w.Close();
            }

            private static void EmitReadEnum(SourceWriter w, TypeModel type)
            {
                w.Open("if (reader.TokenType == global::System.Text.Json.JsonTokenType.String)");
                w.Line(Reader + ".RequireValidText(ref reader, state);");
                foreach (var member in type.EnumMembers)
                {
                    w.Open("if (reader.ValueTextEquals(" + Utf8(member.Name) + "))").Line("return " + type.FullName + "." + Parser.Identifier(member.Name) + ";").Close();
                }

                w.Line("throw " + Reader + ".UnknownEnumName(ref reader, state, " + Literal(type.FullName.Replace("global::", string.Empty)) + ");");
                w.Close();
                w.Open("if (reader.TokenType == global::System.Text.Json.JsonTokenType.Number)");
                w.Line("return (" + type.FullName + ")" + Reader + ".Read" + NumberKind(type.EnumUnderlyingType) + "(ref reader, state);");
                w.Close();
                w.Line("throw " + Reader + ".Unexpected(ref reader, state, \"an enum member name or number\");");
            }

            private static string NumberKind(string? keyword) => keyword switch
            {
                "byte" => "Byte",
                "sbyte" => "SByte",
                "short" => "Int16",
                "ushort" => "UInt16",
                "uint" => "UInt32",
                "long" => "Int64",
                "ulong" => "UInt64",
                _ => "Int32",
            };

            private static void EmitReadObject(SourceWriter w, TypeModel type)
            {
                if (type.IsReferenceType)
                {
                    w.Open("if (reader.TokenType == global::System.Text.Json.JsonTokenType.Null)").Line("return null;").Close();
                }

                w.Line(Reader + ".ExpectStartObject(ref reader, state);");
                var readable = new List<(MemberModel Member, int Index)>();
                for (var i = 0; i < type.Members.Count; i++)
                {
                    var member = type.Members[i];
                    if (member.Binding == MemberBinding.WriteOnly)
                    {
                        continue;
                    }

                    readable.Add((member, i));
                    w.Line(member.TypeFullName + " m" + i.ToString(CultureInfo.InvariantCulture) + " = default;");
                    w.Line("var has" + i.ToString(CultureInfo.InvariantCulture) + " = false;");
                }

                w.Open("while (" + Reader + ".NextProperty(ref reader, state))");
                var first = true;
                foreach (var (member, index) in readable)
                {
                    var i = index.ToString(CultureInfo.InvariantCulture);
                    w.Open((first ? "if" : "else if") + " (reader.ValueTextEquals(" + Utf8(member.JsonName) + "))");
                    first = false;
                    w.Line(Reader + ".MoveToValue(ref reader, state);");
                    w.Line("state.Push(" + Literal(member.JsonName) + ");");
                    w.Line("m" + i + " = Read_" + member.TypeId + "(ref reader, state);");
                    w.Line("state.Pop();");
                    w.Line("has" + i + " = true;");
                    w.Close();
                }

                if (first)
                {
                    w.Line(Reader + ".SkipValue(ref reader, state);");
                }
                else
                {
                    w.Open("else").Line(Reader + ".SkipValue(ref reader, state);").Close();
                }

                w.Close();
                foreach (var (member, index) in readable)
                {
                    var i = index.ToString(CultureInfo.InvariantCulture);
                    if (IsAssignedAfterConstruction(member.Binding))
                    {
                        continue;
                    }

                    w.Open("if (!has" + i + ")");
                    w.Line(member.DefaultValue is not null ? "m" + i + " = " + member.DefaultValue + ";" : "throw state.Missing(" + Literal(member.JsonName) + ");");
                    w.Close();
                }

                var ctorArgs = string.Join(", ", type.ConstructorMembers.Select(i => "m" + i.ToString(CultureInfo.InvariantCulture)));
                var initializers = readable.Where(r => r.Member.Binding == MemberBinding.Initializer).Select(r => r.Member.PropertyName + " = m" + r.Index.ToString(CultureInfo.InvariantCulture)).ToList();
                w.Line("var result = new " + type.FullName + "(" + ctorArgs + ")" + (initializers.Count > 0 ? " { " + string.Join(", ", initializers) + " }" : string.Empty) + ";");
                foreach (var (member, index) in readable.Where(r => IsAssignedAfterConstruction(r.Member.Binding)))
                {
                    var i = index.ToString(CultureInfo.InvariantCulture);
                    w.Open("if (has" + i + ")").Line(Assignment(member, type.IsReferenceType, "m" + i) + ";").Close();
                }

                w.Line("return result;");
            }

            /// <summary>Members that keep their declared default when the JSON lacks them.</summary>
            private static bool IsAssignedAfterConstruction(MemberBinding binding)
                => binding is MemberBinding.Setter or MemberBinding.NonPublicSetter or MemberBinding.BackingField;

            private static string Assignment(MemberModel member, bool isReferenceType, string value)
            {
                if (member.Accessor is not { } a)
                {
                    return "result." + member.PropertyName + " = " + value;
                }

                var call = a.HolderId + a.TypeArguments + "." + a.MethodName + "(" + (isReferenceType ? "result" : "ref result");
                return member.Binding == MemberBinding.BackingField ? call + ") = " + value : call + ", " + value + ")";
            }

            /// <summary>One holder class per declaring type definition, generic over its type parameters (UnsafeAccessor needs that for generic owners).</summary>
            private static void EmitAccessors(SourceWriter w, IEnumerable<TypeModel> types)
            {
                const string Attribute = "[global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.";
                var holders = types.SelectMany(t => t.Members).Select(m => m.Accessor).Where(a => a is not null).Select(a => a!)
                    .GroupBy(a => a.HolderId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal);
                foreach (var holder in holders)
                {
                    w.Line();
                    w.Open("private static class " + holder.Key + holder.First().TypeParameters);
                    foreach (var a in holder.GroupBy(a => a.MethodName, StringComparer.Ordinal).Select(g => g.First()).OrderBy(a => a.MethodName, StringComparer.Ordinal))
                    {
                        var owner = (a.OwnerIsValueType ? "ref " : string.Empty) + a.OwnerType + " obj";
                        if (a.MethodName.StartsWith("Field_", StringComparison.Ordinal))
                        {
                            w.Line(Attribute + "Field, Name = " + Literal(a.MetadataName) + ")]");
                            w.Line("public static extern ref " + a.MemberType + " " + a.MethodName + "(" + owner + ");");
                        }
                        else
                        {
                            w.Line(Attribute + "Method, Name = " + Literal(a.MetadataName) + ")]");
                            w.Line("public static extern void " + a.MethodName + "(" + owner + ", " + a.MemberType + " value);");
                        }
                    }

                    w.Close();
                }
            }
        }
    }
}

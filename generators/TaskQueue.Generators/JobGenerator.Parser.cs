using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TaskQueue.Generators.Model;
using TaskQueue.Generators.Shared;

namespace TaskQueue.Generators
{
    public sealed partial class JobGenerator
    {
        /// <summary>Symbols in, equatable models out. Nothing symbol-shaped leaves this class.</summary>
        internal static class Parser
        {
            /// <summary>Fully qualified, no nullable reference annotations: the one name per type in the (nullable-oblivious) serializer class.</summary>
            private static readonly SymbolDisplayFormat ObliviousFormat = SymbolDisplayFormat.FullyQualifiedFormat;

            /// <summary>Fully qualified with annotations: how the user declared a parameter.</summary>
            private static readonly SymbolDisplayFormat AnnotatedFormat = SymbolDisplayFormat.FullyQualifiedFormat
                .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

            private static readonly SymbolDisplayFormat IdFormat = new(
                globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
                typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
                genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
                miscellaneousOptions: SymbolDisplayMiscellaneousOptions.ExpandNullable);

            public static JobModel Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                var method = (IMethodSymbol)context.TargetSymbol;
                var attribute = context.Attributes[0];
                var inspection = JobMethodInspector.Inspect(method, attribute, new PayloadTypeAnalyzer(JsonContextIndex.For(context.SemanticModel.Compilation)), cancellationToken);
                if (inspection.HasErrors)
                {
                    return JobModel.Invalid(inspection.JobName);
                }

                var values = inspection.Attribute;
                JobAttributeValues.TryParseTimeSpan(values.RetryBaseDelay, out var baseDelay);
                JobAttributeValues.TryParseTimeSpan(values.RetryMaxDelay, out var maxDelay);
                long? timeout = JobAttributeValues.TryParseTimeSpan(values.Timeout, out var t) ? t.Ticks : null;

                var types = new Dictionary<string, TypeModel>(StringComparer.Ordinal);
                var parameters = new List<ParameterModel>();
                foreach (var p in inspection.Parameters)
                {
                    var typeId = p.Shape is null ? null : AddType(p.Shape, types);
                    parameters.Add(new ParameterModel(
                        p.Parameter.Name,
                        Identifier(p.Parameter.Name),
                        p.Parameter.Type.ToDisplayString(AnnotatedFormat),
                        p.Role,
                        typeId,
                        p.Role == JobParameterRole.Payload ? FormatDefault(p.Parameter) : null));
                }

                string? resultId = null;
                string? resultName = null;
                if (inspection.ResultShape is { } result)
                {
                    resultId = AddType(result, types);
                    resultName = result.Type.ToDisplayString(ObliviousFormat);
                }

                var jobName = inspection.JobName;
                var containing = method.ContainingType;
                var ns = containing.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
                return new JobModel(
                    jobName,
                    false,
                    ns,
                    containing.ToDisplayString(ObliviousFormat),
                    containing.Name,
                    Identifier(method.Name),
                    ProxyClassName(jobName, method.Name),
                    IsPublicFromOutside(method),
                    method.IsStatic,
                    values.Queue!,
                    values.Priority,
                    values.MaxRetries,
                    timeout,
                    values.Retry,
                    baseDelay.Ticks,
                    maxDelay.Ticks,
                    new EquatableArray<ParameterModel>(parameters),
                    inspection.ReturnKind,
                    resultId,
                    resultName,
                    new EquatableArray<TypeModel>(types.Values.OrderBy(x => x.Id, StringComparer.Ordinal)),
                    new EquatableArray<ScheduleModel>(Schedules(method, attribute, jobName, parameters)));
            }

            /// <summary>
            /// The recurring schedules declared on the job, with their arguments as C# casts to the parameter types. A
            /// declaration whose arguments do not match the payload parameters is left out (the analyzers report it).
            /// </summary>
            private static List<ScheduleModel> Schedules(IMethodSymbol method, AttributeData attribute, string jobName, List<ParameterModel> parameters)
            {
                var payload = parameters.Where(p => p.Role == JobParameterRole.Payload).ToList();
                var schedules = new List<ScheduleModel>();
                foreach (var d in RecurringDeclarations.Read(method, attribute, jobName))
                {
                    if (d.Cron is null || d.Arguments.Count != payload.Count)
                    {
                        continue;
                    }

                    var args = new List<string>();
                    for (var i = 0; i < payload.Count; i++)
                    {
                        var value = d.Arguments[i];
                        // Enum constants as their number: the type's own C# name may be shadowed where the proxy lives.
                        var text = value.IsNull ? null
                            : value.Type?.TypeKind == TypeKind.Enum ? Convert.ToString(value.Value, CultureInfo.InvariantCulture)
                            : value.ToCSharpString();
                        args.Add(text is null ? "default(" + payload[i].TypeName + ")" : "(" + payload[i].TypeName + ")(" + text + ")");
                    }

                    schedules.Add(new ScheduleModel(d.Name, d.Cron, d.TimeZone, d.Misfire, d.MaxCatchUp, d.Overlap, new EquatableArray<string>(args)));
                }

                return schedules;
            }

            /// <summary>Members of every proxy class: a class may not share a name with its own member (CS0542).</summary>
            private static readonly HashSet<string> ReservedClassNames = new(StringComparer.Ordinal)
            {
                "Jobs", "Definition", "EnqueueAsync", "ScheduleAsync", "Serialize", "Deserialize", "InvokeAsync", "DeserializeResult", "GetResultAsync",
                "ScheduleRecurringAsync", "DeclaredSchedules",
            };

            /// <summary>The job name when it is a usable identifier, else the method name; "Job" is appended to a reserved name.</summary>
            internal static string ProxyClassName(string jobName, string methodName)
            {
                var name = SyntaxFacts.IsValidIdentifier(jobName) && SyntaxFacts.GetKeywordKind(jobName) == SyntaxKind.None ? jobName : methodName;
                return ReservedClassNames.Contains(name) ? name + "Job" : name;
            }

            private static bool IsPublicFromOutside(IMethodSymbol method)
            {
                if (method.DeclaredAccessibility != Accessibility.Public)
                {
                    return false;
                }

                for (var type = method.ContainingType; type is not null; type = type.ContainingType)
                {
                    if (type.DeclaredAccessibility != Accessibility.Public)
                    {
                        return false;
                    }
                }

                return true;
            }

            /// <summary>Adds the type and everything it contains; returns its id.</summary>
            private static string AddType(PayloadTypeShape shape, Dictionary<string, TypeModel> types)
            {
                var id = TypeId(shape.Type);
                if (types.ContainsKey(id))
                {
                    return id;
                }

                // Reserve the id first: shapes are acyclic, but a type can appear many times.
                types[id] = null!;
                string? elementId = null;
                string? elementName = null;
                if (shape.Element is { } element)
                {
                    elementId = AddType(element, types);
                    elementName = element.Type.ToDisplayString(ObliviousFormat);
                }

                var members = new List<MemberModel>();
                var constructorMembers = new List<int>();
                if (shape.Kind == PayloadTypeKind.Object)
                {
                    foreach (var member in shape.Members)
                    {
                        var memberId = AddType(member.Type, types);
                        var binding = member.Binding switch
                        {
                            PayloadMemberBinding.Constructor => MemberBinding.Constructor,
                            PayloadMemberBinding.Initializer => MemberBinding.Initializer,
                            PayloadMemberBinding.Setter => MemberBinding.Setter,
                            PayloadMemberBinding.NonPublicSetter => MemberBinding.NonPublicSetter,
                            PayloadMemberBinding.BackingField => MemberBinding.BackingField,
                            _ => MemberBinding.WriteOnly,
                        };
                        members.Add(new MemberModel(
                            Identifier(member.Property.Name),
                            member.JsonName,
                            memberId,
                            member.Type.Type.ToDisplayString(ObliviousFormat),
                            binding,
                            member.ConstructorParameter is { } parameter ? FormatDefault(parameter) : null,
                            Accessors.For(member),
                            member.Property.Type.IsReferenceType && member.Property.NullableAnnotation == NullableAnnotation.NotAnnotated));
                    }

                    foreach (var parameter in shape.Constructor!.Parameters)
                    {
                        constructorMembers.Add(shape.Members.IndexOf(shape.Members.First(m => SymbolEqualityComparer.Default.Equals(m.ConstructorParameter, parameter))));
                    }
                }

                var enumMembers = new List<EnumMemberModel>();
                string? underlying = null;
                if (shape.Kind == PayloadTypeKind.Enum && shape.Type is INamedTypeSymbol enumType)
                {
                    underlying = enumType.EnumUnderlyingType!.ToDisplayString(ObliviousFormat);
                    var seenValues = new HashSet<object>();
                    foreach (var field in enumType.GetMembers().OfType<IFieldSymbol>())
                    {
                        if (field.HasConstantValue && field.ConstantValue is { } value)
                        {
                            enumMembers.Add(new EnumMemberModel(field.Name, seenValues.Add(value)));
                        }
                    }
                }

                types[id] = new TypeModel(
                    id,
                    shape.Type.ToDisplayString(ObliviousFormat),
                    shape.Kind,
                    shape.Type.IsReferenceType,
                    elementId,
                    elementName,
                    new EquatableArray<MemberModel>(members),
                    new EquatableArray<int>(constructorMembers),
                    new EquatableArray<EnumMemberModel>(enumMembers),
                    underlying,
                    shape.JsonContext,
                    shape.JsonTypeInfoProperty is { } property ? Identifier(property) : null);
                return id;
            }

            /// <summary>A readable, unique C# identifier for a type: <c>System_Collections_Generic_List_Of_MyApp_Line</c>.</summary>
            internal static string TypeId(ITypeSymbol type)
            {
                var text = type.ToDisplayString(IdFormat);
                var builder = new StringBuilder(text.Length);
                foreach (var c in text)
                {
                    switch (c)
                    {
                        case '<': builder.Append("_Of_"); break;
                        case '>': break;
                        case ',': builder.Append("_And_"); break;
                        case '[': builder.Append("_Array"); break;
                        case ']': break;
                        case ' ': break;
                        default: builder.Append(char.IsLetterOrDigit(c) ? c : '_'); break;
                    }
                }

                return builder.ToString();
            }

            /// <summary>The parameter's default value as C# text, or null when it has none.</summary>
            internal static string? FormatDefault(IParameterSymbol parameter)
            {
                if (!parameter.HasExplicitDefaultValue)
                {
                    return null;
                }

                var value = parameter.ExplicitDefaultValue;
                var type = parameter.Type;
                if (value is null)
                {
                    return type.IsValueType && type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T ? "default" : "null";
                }

                var valueType = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;
                if (valueType.TypeKind == TypeKind.Enum)
                {
                    var member = valueType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
                    if (member is not null)
                    {
                        return valueType.ToDisplayString(ObliviousFormat) + "." + Identifier(member.Name);
                    }

                    return "(" + valueType.ToDisplayString(ObliviousFormat) + ")(" + FormatNumber(value) + ")";
                }

                return FormatNumber(value);
            }

            private static string FormatNumber(object value) => value switch
            {
                string s => SymbolDisplay.FormatLiteral(s, quote: true),
                char c => SymbolDisplay.FormatLiteral(c, quote: true),
                bool b => b ? "true" : "false",
                double d when double.IsNaN(d) => "double.NaN",
                double d when double.IsPositiveInfinity(d) => "double.PositiveInfinity",
                double d when double.IsNegativeInfinity(d) => "double.NegativeInfinity",
                double d => d.ToString("R", CultureInfo.InvariantCulture) + "d",
                float f when float.IsNaN(f) => "float.NaN",
                float f when float.IsPositiveInfinity(f) => "float.PositiveInfinity",
                float f when float.IsNegativeInfinity(f) => "float.NegativeInfinity",
                float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
                decimal m => m.ToString(CultureInfo.InvariantCulture) + "m",
                long l => l.ToString(CultureInfo.InvariantCulture) + "L",
                ulong ul => ul.ToString(CultureInfo.InvariantCulture) + "UL",
                uint ui => ui.ToString(CultureInfo.InvariantCulture) + "U",
                int i => i.ToString(CultureInfo.InvariantCulture),
                short s16 => "(short)(" + s16.ToString(CultureInfo.InvariantCulture) + ")",
                ushort u16 => "(ushort)" + u16.ToString(CultureInfo.InvariantCulture),
                byte u8 => "(byte)" + u8.ToString(CultureInfo.InvariantCulture),
                sbyte s8 => "(sbyte)(" + s8.ToString(CultureInfo.InvariantCulture) + ")",
                _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
            };

            /// <summary>A name usable as a C# identifier: keywords get an @.</summary>
            internal static string Identifier(string name)
                => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
        }
    }
}

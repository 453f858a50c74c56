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
        /// <summary>The per-job proxy file: definition, enqueue/schedule, (de)serialize and invoke.</summary>
        internal static partial class Emitter
        {
            private static string EmitJob(JobModel job, string serializers)
            {
                var w = new SourceWriter();
                w.Line(Header).Line("#nullable enable").Line();
                var hasNamespace = job.Namespace.Length > 0;
                if (hasNamespace)
                {
                    w.Open("namespace " + job.Namespace);
                }

                var access = job.IsPublic ? "public " : string.Empty;
                var innerAccess = job.IsPublic ? "public" : "internal";
                w.Line("/// <summary>Typed proxies of the [Job] methods in this namespace.</summary>");
                w.Open(access + "static partial class Jobs");
                w.Line("/// <summary>Enqueues and schedules the job <c>" + Xml(job.JobName) + "</c> (" + Xml(Cref(job)) + ").</summary>");
                w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"TaskQueue.Generators\", \"1.0.0\")]");
                w.Open(innerAccess + " static partial class " + job.ClassName);

                var payload = job.Parameters.Where(p => p.Role == JobParameterRole.Payload).ToList();
                var used = new HashSet<string>(job.Parameters.Select(p => p.Name), StringComparer.Ordinal);
                var options = Unique("options", used);
                var token = Unique("cancellationToken", used);
                var client = Unique("client", used);
                var runAt = Unique("runAt", used);
                var delay = Unique("delay", used);
                var payloadName = Unique("payload", used);
                var scheduleName = Unique("scheduleName", used);
                var cron = Unique("cron", used);

                EmitDefinition(w, job);
                if (job.Schedules.Count > 0)
                {
                    EmitDeclaredSchedules(w, job);
                }

                EmitEnqueue(w, payload, options, token, client);
                EmitSchedule(w, payload, options, token, client, runAt, delay);
                EmitScheduleRecurring(w, payload, options, token, client, scheduleName, cron);
                EmitSerialize(w, job, payload, serializers);
                EmitDeserialize(w, job, payload, serializers, payloadName);
                EmitInvoke(w, job, serializers);

                w.Close();
                w.Close();
                if (hasNamespace)
                {
                    w.Close();
                }

                return w.ToString();
            }

            private static void EmitDefinition(SourceWriter w, JobModel job)
            {
                var timeout = job.TimeoutTicks is { } ticks ? "global::System.TimeSpan.FromTicks(" + ticks.ToString(CultureInfo.InvariantCulture) + "L)" : "null";
                w.Line("/// <summary>The job's stored name and defaults, from its [Job] attribute.</summary>");
                w.Line("public static global::TaskQueue.JobDefinition Definition { get; } = new global::TaskQueue.JobDefinition(");
                w.Line("    name: " + Literal(job.JobName) + ",");
                w.Line("    queue: " + Literal(job.Queue) + ",");
                w.Line("    priority: global::TaskQueue.Priority." + PriorityNames[job.Priority] + ",");
                w.Line("    maxRetries: " + job.MaxRetries.ToString(CultureInfo.InvariantCulture) + ",");
                w.Line("    timeout: " + timeout + ",");
                w.Line("    retry: new global::TaskQueue.RetryPolicy(global::TaskQueue.RetryStrategy." + RetryNames[job.Retry]
                    + ", global::System.TimeSpan.FromTicks(" + job.RetryBaseDelayTicks.ToString(CultureInfo.InvariantCulture) + "L)"
                    + ", global::System.TimeSpan.FromTicks(" + job.RetryMaxDelayTicks.ToString(CultureInfo.InvariantCulture) + "L)),");
                w.Line("    requiresScope: " + (job.IsStatic ? "false" : "true") + ")");
                w.Open();
                w.Line("// The worker's one lookup by name yields this: no second dispatch on the name.");
                w.Line("Invoker = static (payload, context) => InvokeAsync(payload, context),");
                EmitSchemaInitializers(w, job);
                w.Close(";");
                w.Line();
            }

            private static void EmitEnqueue(SourceWriter w, List<ParameterModel> payload, string options, string token, string client)
            {
                var declared = Declarations(payload, withDefaults: true);
                var args = Arguments(payload);
                var tail = "global::TaskQueue.JobOptions? " + options + " = null, global::System.Threading.CancellationToken " + token + " = default";

                w.Line("/// <summary>Enqueues the job through <see cref=\"global::TaskQueue.Client.JobClient.Default\"/>.</summary>");
                w.Line("public static global::System.Threading.Tasks.ValueTask<global::TaskQueue.JobId> EnqueueAsync(" + Join(declared, tail) + ")");
                w.Line("    => EnqueueAsync(" + Join(new[] { "global::TaskQueue.Client.JobClient.Default" }.Concat(args), options + ", " + token) + ");");
                w.Line();
                w.Line("/// <summary>Enqueues the job through <paramref name=\"" + client + "\"/>.</summary>");
                w.Open("public static global::System.Threading.Tasks.ValueTask<global::TaskQueue.JobId> EnqueueAsync(" + Join(new[] { "global::TaskQueue.Client.IJobClient " + client }.Concat(declared), tail) + ")");
                w.Line("global::System.ArgumentNullException.ThrowIfNull(" + client + ");");
                w.Line("return " + client + ".EnqueueAsync(Definition, Serialize(" + string.Join(", ", args) + "), " + options + ", " + token + ");");
                w.Close();
                w.Line();
            }

            private static void EmitSchedule(SourceWriter w, List<ParameterModel> payload, string options, string token, string client, string runAt, string delay)
            {
                // A required runAt/delay cannot follow optional parameters, so the job's defaults are not repeated here.
                var declared = Declarations(payload, withDefaults: false);
                var args = Arguments(payload);
                var tail = "global::TaskQueue.JobOptions? " + options + " = null, global::System.Threading.CancellationToken " + token + " = default";
                foreach (var (name, type, property, doc) in new[]
                {
                    (runAt, "global::System.DateTimeOffset", "RunAt", "to run no earlier than <paramref name=\"" + runAt + "\"/>"),
                    (delay, "global::System.TimeSpan", "Delay", "to run no earlier than <paramref name=\"" + delay + "\"/> from now"),
                })
                {
                    var withOptions = options + " is null ? new global::TaskQueue.JobOptions { " + property + " = " + name + " } : " + options + " with { " + property + " = " + name + " }";
                    w.Line("/// <summary>Schedules the job " + doc + " through <see cref=\"global::TaskQueue.Client.JobClient.Default\"/>.</summary>");
                    w.Line("public static global::System.Threading.Tasks.ValueTask<global::TaskQueue.JobId> ScheduleAsync(" + Join(declared.Concat(new[] { type + " " + name }), tail) + ")");
                    w.Line("    => ScheduleAsync(" + Join(new[] { "global::TaskQueue.Client.JobClient.Default" }.Concat(args).Concat(new[] { name }), options + ", " + token) + ");");
                    w.Line();
                    w.Line("/// <summary>Schedules the job " + doc + " through <paramref name=\"" + client + "\"/>.</summary>");
                    w.Open("public static global::System.Threading.Tasks.ValueTask<global::TaskQueue.JobId> ScheduleAsync(" + Join(new[] { "global::TaskQueue.Client.IJobClient " + client }.Concat(declared).Concat(new[] { type + " " + name }), tail) + ")");
                    w.Line("global::System.ArgumentNullException.ThrowIfNull(" + client + ");");
                    w.Line("return " + client + ".EnqueueAsync(Definition, Serialize(" + string.Join(", ", args) + "), " + withOptions + ", " + token + ");");
                    w.Close();
                    w.Line();
                }
            }

            private static void EmitSerialize(SourceWriter w, JobModel job, List<ParameterModel> payload, string serializers)
            {
                w.Line("/// <summary>Writes the arguments as the job's UTF-8 JSON payload.</summary>");
                w.Open("public static byte[] Serialize(" + string.Join(", ", Declarations(payload, withDefaults: false)) + ")");
                w.Line("var __writer = global::TaskQueue.Serialization.JobPayloadWriter.Rent();");
                w.Line("var __parameter = \"\";");
                w.Open("try");
                w.Line("__writer.WriteStartObject();");
                foreach (var p in payload)
                {
                    w.Line("__parameter = " + Literal(p.Name) + ";");
                    w.Line("__writer.WritePropertyName(" + Utf8(p.Name) + ");");
                    w.Line(serializers + ".Write_" + p.TypeId + "(__writer, " + p.Identifier + ");");
                }

                w.Line("__writer.WriteEndObject();");
                w.Close();
                EmitWriteFailure(w, job, "__parameter");
                w.Line("return global::TaskQueue.Serialization.JobPayloadWriter.ToArrayAndReset(__writer);");
                w.Close();
                w.Line();
            }

            private static void EmitDeserialize(SourceWriter w, JobModel job, List<ParameterModel> payload, string serializers, string payloadName)
            {
                w.Line("/// <summary>Reads the arguments from a payload; unknown fields are skipped, missing ones take their defaults.</summary>");
                w.Line("/// <exception cref=\"global::TaskQueue.JobPayloadException\">The payload does not fit the parameters.</exception>");
                var outs = payload.Select(p => "out " + p.TypeName + " " + p.Identifier);
                w.Open("public static void Deserialize(" + Join(new[] { "global::System.ReadOnlyMemory<byte> " + payloadName }, string.Join(", ", outs)) + ")");
                w.Line("var __state = new " + State + "(" + Literal(job.JobName) + ");");
                w.Line("var __reader = new " + JsonReader + "(" + payloadName + ".Span);");
                foreach (var p in payload)
                {
                    w.Line(p.Identifier + " = " + (p.DefaultValue ?? "default!") + ";");
                    if (p.DefaultValue is null)
                    {
                        w.Line("var __has_" + p.Name + " = false;");
                    }
                }

                w.Line(Reader + ".BeginObjectPayload(ref __reader, __state);");
                w.Open("while (" + Reader + ".NextProperty(ref __reader, __state))");
                var first = true;
                foreach (var p in payload)
                {
                    w.Open((first ? "if" : "else if") + " (__reader.ValueTextEquals(" + Utf8(p.Name) + "))");
                    first = false;
                    w.Line(Reader + ".MoveToValue(ref __reader, __state);");
                    w.Line("__state.EnterParameter(" + Literal(p.Name) + ");");
                    w.Line(p.Identifier + " = " + serializers + ".Read_" + p.TypeId + "(ref __reader, __state);");
                    w.Line("__state.ExitParameter();");
                    if (p.DefaultValue is null)
                    {
                        w.Line("__has_" + p.Name + " = true;");
                    }

                    w.Close();
                }

                if (first)
                {
                    w.Line(Reader + ".SkipValue(ref __reader, __state);");
                }
                else
                {
                    w.Open("else");
                    w.Line(Reader + ".SkipValue(ref __reader, __state);");
                    w.Close();
                }

                w.Close();
                foreach (var p in payload.Where(p => p.DefaultValue is null))
                {
                    w.Open("if (!__has_" + p.Name + ")");
                    w.Line("throw __state.Missing(" + Literal(p.Name) + ");");
                    w.Close();
                }

                w.Close();
                w.Line();
            }

            private static void EmitInvoke(SourceWriter w, JobModel job, string serializers)
            {
                var payload = job.Parameters.Where(p => p.Role == JobParameterRole.Payload).ToList();
                var isAsync = job.ReturnKind != JobReturnKind.Void;
                w.Line("/// <summary>Runs the job for the worker: reads the arguments, calls the method and returns its result as JSON.</summary>");
                w.Open("internal static " + (isAsync ? "async " : string.Empty) + ValueTaskOfBytes + " InvokeAsync(global::System.ReadOnlyMemory<byte> payload, global::TaskQueue.JobContext context)");
                w.Line("global::System.ArgumentNullException.ThrowIfNull(context);");
                if (payload.Count > 0)
                {
                    w.Line("Deserialize(payload, " + string.Join(", ", payload.Select(p => "out var __arg_" + p.Name)) + ");");
                }
                else
                {
                    w.Line("Deserialize(payload);");
                }

                string target;
                if (job.IsStatic)
                {
                    target = job.ContainingType;
                }
                else
                {
                    w.Line("var __instance = global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<" + job.ContainingType + ">(context.Services);");
                    target = "__instance";
                }

                var args = job.Parameters.Select(p => p.Role switch
                {
                    JobParameterRole.CancellationToken => "context.CancellationToken",
                    JobParameterRole.JobContext => "context",
                    _ => "__arg_" + p.Name,
                });
                var call = target + "." + job.MethodName + "(" + string.Join(", ", args) + ")";
                switch (job.ReturnKind)
                {
                    case JobReturnKind.Void:
                        w.Line(call + ";");
                        w.Line("return new " + ValueTaskOfBytes + "((byte[]?)null);");
                        break;
                    case JobReturnKind.Task:
                    case JobReturnKind.ValueTask:
                        w.Line("await " + call + ".ConfigureAwait(false);");
                        w.Line("return null;");
                        break;
                    default:
                        w.Line("var __result = await " + call + ".ConfigureAwait(false);");
                        w.Line("var __writer = global::TaskQueue.Serialization.JobPayloadWriter.Rent();");
                        w.Open("try");
                        w.Line(serializers + ".Write_" + job.ResultTypeId + "(__writer, __result);");
                        w.Close();
                        EmitWriteFailure(w, job, "\"result\"");
                        w.Line("return global::TaskQueue.Serialization.JobPayloadWriter.ToArrayAndReset(__writer);");
                        break;
                }

                w.Close();

                if (job.ResultTypeId is not null)
                {
                    w.Line();
                    w.Line("/// <summary>Reads a result this job returned (the JSON its invoker produced).</summary>");
                    w.Line("/// <exception cref=\"global::TaskQueue.JobPayloadException\">The JSON does not fit the result type.</exception>");
                    w.Open("public static " + job.ResultTypeName + " DeserializeResult(global::System.ReadOnlyMemory<byte> result)");
                    w.Line("var __state = new " + State + "(" + Literal(job.JobName) + ");");
                    w.Line("var __reader = new " + JsonReader + "(result.Span);");
                    w.Line(Reader + ".BeginValuePayload(ref __reader, __state);");
                    w.Line("__state.EnterParameter(\"result\");");
                    w.Line("return " + serializers + ".Read_" + job.ResultTypeId + "(ref __reader, __state)!;");
                    w.Close();
                    EmitGetResult(w, job);
                }
            }

            /// <summary>GetResultAsync: the job's state and typed result, read back through a client (the job's queue unless told otherwise).</summary>
            private static void EmitGetResult(SourceWriter w, JobModel job)
            {
                var result = "global::TaskQueue.JobResult<" + job.ResultTypeName + ">";
                var task = "global::System.Threading.Tasks.ValueTask<" + result + ">";
                var tail = "string? queue = null, global::System.Threading.CancellationToken cancellationToken = default";
                w.Line();
                w.Line("/// <summary>Reads the job's state and, once it succeeded, its typed result through <see cref=\"global::TaskQueue.Client.JobClient.Default\"/>.</summary>");
                w.Line("/// <param name=\"id\">The id <c>EnqueueAsync</c> returned.</param>");
                w.Line("/// <param name=\"queue\">The queue it was enqueued on, when not the job's default.</param>");
                w.Line("/// <param name=\"cancellationToken\">Cancels the read.</param>");
                w.Line("public static " + task + " GetResultAsync(global::TaskQueue.JobId id, " + tail + ")");
                w.Line("    => GetResultAsync(global::TaskQueue.Client.JobClient.Default, id, queue, cancellationToken);");
                w.Line();
                w.Line("/// <summary>Reads the job's state and, once it succeeded, its typed result through <paramref name=\"client\"/>.</summary>");
                w.Line("/// <param name=\"client\">The client to read with.</param>");
                w.Line("/// <param name=\"id\">The id <c>EnqueueAsync</c> returned.</param>");
                w.Line("/// <param name=\"queue\">The queue it was enqueued on, when not the job's default.</param>");
                w.Line("/// <param name=\"cancellationToken\">Cancels the read.</param>");
                w.Line("/// <exception cref=\"global::System.InvalidOperationException\">The id belongs to another job.</exception>");
                w.Line("/// <exception cref=\"global::TaskQueue.JobPayloadException\">The stored result does not fit the result type.</exception>");
                w.Open("public static async " + task + " GetResultAsync(global::TaskQueue.Client.IJobClient client, global::TaskQueue.JobId id, " + tail + ")");
                w.Line("global::System.ArgumentNullException.ThrowIfNull(client);");
                w.Line("var __queue = queue ?? Definition.Queue;");
                w.Line("var __info = await client.GetJobAsync(__queue, id, cancellationToken).ConfigureAwait(false);");
                w.Line("return " + result + ".From(Definition, __queue, id, __info, static result => DeserializeResult(result));");
                w.Close();
            }
        }
    }
}

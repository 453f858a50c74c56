using System;
using System.Collections.Generic;
using System.Linq;
using TaskQueue.Generators.Model;

namespace TaskQueue.Generators
{
    public sealed partial class JobGenerator
    {
        /// <summary>The assembly's dispatch table and its DI registration.</summary>
        internal static partial class Emitter
        {
            private static string EmitRegistry(List<JobModel> jobs, string assemblyId)
            {
                var w = new SourceWriter();
                var registry = assemblyId + "JobRegistry";
                w.Line(Header).Line("#nullable enable").Line();
                w.Open("namespace TaskQueue.Generated");
                w.Line("/// <summary>The jobs of this assembly (each definition carries its invoker) and a switch on the stored job name for direct callers.</summary>");
                w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"TaskQueue.Generators\", \"1.0.0\")]");
                // Public only for Add{Asm}Jobs and the worker; nothing for user code to pick from IntelliSense.
                w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
                var scheduled = jobs.Where(j => j.Schedules.Count > 0).ToList();
                w.Open("public sealed class " + registry + " : global::TaskQueue.Processing.IJobRegistry" + (scheduled.Count > 0 ? ", global::TaskQueue.Scheduling.IDeclaredSchedules" : string.Empty));
                if (scheduled.Count > 0)
                {
                    w.Line("private static readonly global::TaskQueue.Scheduling.RecurringSchedule[] s_schedules =");
                    w.Line("[");
                    foreach (var job in scheduled)
                    {
                        w.Line("    .. " + ProxyClass(job) + ".DeclaredSchedules,");
                    }

                    w.Line("];");
                    w.Line();
                    w.Line("/// <inheritdoc/>");
                    w.Line("public global::System.Collections.Generic.IReadOnlyList<global::TaskQueue.Scheduling.RecurringSchedule> DeclaredSchedules => s_schedules;");
                    w.Line();
                }

                w.Line("private static readonly global::TaskQueue.JobDefinition[] s_jobs =");
                w.Line("[");
                foreach (var job in jobs)
                {
                    w.Line("    " + ProxyClass(job) + ".Definition,");
                }

                w.Line("];");
                w.Line();
                w.Line("/// <inheritdoc/>");
                w.Line("public global::System.Collections.Generic.IReadOnlyList<global::TaskQueue.JobDefinition> Jobs => s_jobs;");
                w.Line();
                w.Line("/// <inheritdoc/>");
                w.Open("public " + ValueTaskOfBytes + " InvokeAsync(string name, global::System.ReadOnlyMemory<byte> payload, global::TaskQueue.JobContext context)");
                w.Open("switch (name)");
                foreach (var job in jobs)
                {
                    w.Line("case " + Literal(job.JobName) + ":");
                    w.Line("    return " + ProxyClass(job) + ".InvokeAsync(payload, context);");
                }

                w.Line("default:");
                w.Line("    throw new global::TaskQueue.Processing.UnknownJobException(name);");
                w.Close();
                w.Close();
                w.Close();
                w.Close();
                w.Line();
                w.Open("namespace Microsoft.Extensions.DependencyInjection");
                w.Line("/// <summary>Registers the jobs of this assembly with the TaskQueue worker.</summary>");
                w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"TaskQueue.Generators\", \"1.0.0\")]");
                w.Open("public static class " + assemblyId + "JobsServiceCollectionExtensions");
                w.Line("/// <summary>Adds this assembly's job registry and, as scoped services, every type with instance jobs.</summary>");
                w.Open("public static global::Microsoft.Extensions.DependencyInjection.IServiceCollection Add" + assemblyId + "Jobs(this global::Microsoft.Extensions.DependencyInjection.IServiceCollection services)");
                w.Line("global::System.ArgumentNullException.ThrowIfNull(services);");
                w.Line("global::Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddEnumerable(services, global::Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Singleton<global::TaskQueue.Processing.IJobRegistry, global::TaskQueue.Generated." + registry + ">());");
                foreach (var type in jobs.Where(j => !j.IsStatic).Select(j => j.ContainingType).Distinct().OrderBy(t => t, StringComparer.Ordinal))
                {
                    w.Line("global::Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddScoped<" + type + ">(services);");
                }

                w.Line("return services;");
                w.Close();
                w.Close();
                w.Close();
                return w.ToString();
            }
        }
    }
}

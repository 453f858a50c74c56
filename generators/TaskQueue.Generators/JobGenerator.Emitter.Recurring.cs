using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TaskQueue.Generators.Model;
using TaskQueue.Generators.Shared;

namespace TaskQueue.Generators
{
    public sealed partial class JobGenerator
    {
        /// <summary>Recurring schedules: the typed <c>ScheduleRecurringAsync</c> proxy and a job's declared schedules.</summary>
        internal static partial class Emitter
        {
            private const string Recurring = "global::TaskQueue.Scheduling";

            private static void EmitScheduleRecurring(SourceWriter w, List<ParameterModel> payload, string options, string token, string client, string scheduleName, string cron)
            {
                // Like ScheduleAsync: the job's parameter defaults are not repeated, the arguments are the schedule's fixed ones.
                var declared = Declarations(payload, withDefaults: false);
                var args = Arguments(payload);
                var head = new[] { "string " + scheduleName, "string " + cron };
                var tail = Recurring + ".RecurringOptions? " + options + " = null, global::System.Threading.CancellationToken " + token + " = default";
                var task = "global::System.Threading.Tasks.ValueTask<" + Recurring + ".ScheduleInfo>";
                w.Line("/// <summary>Creates or replaces the recurring schedule <paramref name=\"" + scheduleName + "\"/> of this job with these arguments, through <see cref=\"" + Recurring + ".RecurringJobClient.Default\"/>.</summary>");
                w.Line("public static " + task + " ScheduleRecurringAsync(" + Join(head.Concat(declared), tail) + ")");
                w.Line("    => ScheduleRecurringAsync(" + Join(new[] { Recurring + ".RecurringJobClient.Default", scheduleName, cron }.Concat(args), options + ", " + token) + ");");
                w.Line();
                w.Line("/// <summary>Creates or replaces the recurring schedule <paramref name=\"" + scheduleName + "\"/> of this job with these arguments, through <paramref name=\"" + client + "\"/>.</summary>");
                w.Open("public static " + task + " ScheduleRecurringAsync(" + Join(new[] { Recurring + ".IRecurringJobClient " + client }.Concat(head).Concat(declared), tail) + ")");
                w.Line("global::System.ArgumentNullException.ThrowIfNull(" + client + ");");
                w.Line("var __schedule = (" + options + " ?? new " + Recurring + ".RecurringOptions()).ToSchedule(Definition, " + scheduleName + ", " + cron + ", Serialize(" + string.Join(", ", args) + "));");
                w.Line("return " + client + ".UpsertAsync(__schedule, " + token + ");");
                w.Close();
                w.Line();
            }

            private static void EmitDeclaredSchedules(SourceWriter w, JobModel job)
            {
                w.Line("/// <summary>The recurring schedules declared on this job; the host registers them at start-up.</summary>");
                w.Line("public static global::System.Collections.Generic.IReadOnlyList<" + Recurring + ".RecurringSchedule> DeclaredSchedules { get; } =");
                w.Line("[");
                foreach (var s in job.Schedules)
                {
                    var options = "new " + Recurring + ".RecurringOptions { TimeZone = " + (s.TimeZone is null ? "null" : Literal(s.TimeZone))
                        + ", Misfire = (" + Recurring + ".MisfirePolicy)" + s.Misfire.ToString(CultureInfo.InvariantCulture)
                        + ", MaxCatchUp = " + s.MaxCatchUp.ToString(CultureInfo.InvariantCulture)
                        + ", Overlap = (" + Recurring + ".OverlapPolicy)" + s.Overlap.ToString(CultureInfo.InvariantCulture) + " }";
                    w.Line("    " + options + ".ToSchedule(Definition, " + Literal(s.Name) + ", " + Literal(s.Cron) + ", Serialize(" + string.Join(", ", s.Arguments) + ")),");
                }

                w.Line("];");
                w.Line();
            }
        }
    }
}

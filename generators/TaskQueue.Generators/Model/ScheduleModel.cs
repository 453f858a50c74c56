namespace TaskQueue.Generators.Model
{
    /// <summary>
    /// One recurring schedule declared on a job (<c>[Job(Cron = ...)]</c> or <c>[Recurring(...)]</c>), as plain values.
    /// </summary>
    /// <param name="Name">The schedule name (the job name for <c>[Job(Cron = ...)]</c>).</param>
    /// <param name="Cron">The cron expression.</param>
    /// <param name="TimeZone">The time zone id, or null for UTC.</param>
    /// <param name="Misfire">The MisfirePolicy value.</param>
    /// <param name="MaxCatchUp">The RunAll bound.</param>
    /// <param name="Overlap">The OverlapPolicy value.</param>
    /// <param name="Arguments">The job's arguments as C# expressions, in payload parameter order.</param>
    internal sealed record ScheduleModel(string Name, string Cron, string? TimeZone, int Misfire, int MaxCatchUp, int Overlap, EquatableArray<string> Arguments);
}

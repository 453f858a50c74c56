namespace TaskQueue.Telemetry;

/// <summary>What an attempt became; the <c>taskqueue.job.outcome</c> attribute on its span and on the outcomes counter.</summary>
internal enum JobOutcome
{
    Succeeded,
    Retried,
    DeadLettered,
    Deferred,
    Cancelled,
    LeaseLost,
    Released,
}

internal static class JobOutcomeNames
{
    /// <summary>The attribute value: constant strings, so tagging allocates nothing.</summary>
    public static string ToTag(this JobOutcome outcome) => outcome switch
    {
        JobOutcome.Succeeded => "succeeded",
        JobOutcome.Retried => "retried",
        JobOutcome.DeadLettered => "dead_lettered",
        JobOutcome.Deferred => "deferred",
        JobOutcome.Cancelled => "cancelled",
        JobOutcome.LeaseLost => "lease_lost",
        JobOutcome.Released => "released",
        _ => "unknown",
    };
}

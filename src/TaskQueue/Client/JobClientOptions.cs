namespace TaskQueue.Client;

/// <summary>Settings of a <see cref="JobClient"/>.</summary>
public sealed class JobClientOptions
{
    /// <summary>How long an idempotency key is remembered when <see cref="JobOptions.IdempotencyTtl"/> is not set. 24 hours by default.</summary>
    public TimeSpan DefaultIdempotencyTtl { get; set; } = TimeSpan.FromHours(24);
}

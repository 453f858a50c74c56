using TaskQueue.Storage;

namespace TaskQueue.Redis;

/// <summary>Rejects a <see cref="NewJob"/> the store cannot keep, naming the job, the field and the value.</summary>
internal static class NewJobValidator
{
    public static void Validate(NewJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Id.IsEmpty)
        {
            throw new ArgumentException($"Job '{job.Name}': NewJob.Id must be set (use JobId.New()).", nameof(job));
        }

        if (!JobNames.IsValidJobName(job.Name))
        {
            throw new ArgumentException($"Job {job.Id}: NewJob.Name '{job.Name}' is not a valid job name.", nameof(job));
        }

        if (!JobNames.IsValidQueueName(job.Queue))
        {
            throw new ArgumentException($"Job '{job.Name}' ({job.Id}): NewJob.Queue '{job.Queue}' is not a valid queue name: use 1 to {JobNames.MaxLength} characters of A-Z, a-z, 0-9, '-', '_' or '.'.", nameof(job));
        }

        if (!Enum.IsDefined(job.Priority))
        {
            throw new ArgumentException($"Job '{job.Name}' ({job.Id}): NewJob.Priority {(int)job.Priority} is not a Priority.", nameof(job));
        }

        if (job.MaxRetries < 0)
        {
            throw new ArgumentException($"Job '{job.Name}' ({job.Id}): NewJob.MaxRetries must not be negative, but was {job.MaxRetries}.", nameof(job));
        }

        if (job.RunAt is not null && job.Delay is not null)
        {
            throw new ArgumentException($"Job '{job.Name}' ({job.Id}): set NewJob.RunAt or NewJob.Delay, not both (RunAt={job.RunAt:O}, Delay={job.Delay}).", nameof(job));
        }

        if (job.Delay is { } delay && delay < TimeSpan.Zero)
        {
            throw new ArgumentException($"Job '{job.Name}' ({job.Id}): NewJob.Delay must not be negative, but was {delay}.", nameof(job));
        }

        if (job.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Job '{job.Name}' ({job.Id}): NewJob.Timeout must be positive, but was {timeout}.", nameof(job));
        }

        if (job.IdempotencyKey is { } key)
        {
            if (key.Length is 0 or > 512)
            {
                throw new ArgumentException($"Job '{job.Name}' ({job.Id}): NewJob.IdempotencyKey must be 1 to 512 characters, but was {key.Length}.", nameof(job));
            }

            if (!job.UniqueUntilFinished && job.IdempotencyTtl <= TimeSpan.Zero)
            {
                throw new ArgumentException($"Job '{job.Name}' ({job.Id}): NewJob.IdempotencyTtl must be positive, but was {job.IdempotencyTtl}.", nameof(job));
            }
        }
    }
}

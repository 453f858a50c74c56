using TaskQueue.Client;
using TaskQueue.Storage;

namespace TaskQueue.Generators.Tests.Infrastructure;

/// <summary>An <see cref="IJobClient"/> that only remembers what it was asked to enqueue.</summary>
internal sealed class RecordingJobClient : IJobClient
{
    public List<(JobDefinition Job, byte[] Payload, JobOptions? Options, CancellationToken Token)> Enqueued { get; } = [];

    public ValueTask<JobId> EnqueueAsync(JobDefinition job, ReadOnlyMemory<byte> payload, JobOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (Enqueued)
        {
            Enqueued.Add((job, payload.ToArray(), options, cancellationToken));
        }

        return ValueTask.FromResult(JobId.New());
    }

    public ValueTask<IReadOnlyList<JobId>> EnqueueManyAsync(IReadOnlyList<JobRequest> jobs, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("Generated proxies enqueue one job at a time.");

    public ValueTask<bool> CancelAsync(string queue, JobId id, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    /// <summary>What <see cref="GetJobAsync"/> answers, by (queue, id); the lookups it was asked for.</summary>
    public Dictionary<(string Queue, JobId Id), JobInfo> Stored { get; } = [];

    public List<(string Queue, JobId Id)> Lookups { get; } = [];

    public ValueTask<JobInfo?> GetJobAsync(string queue, JobId id, CancellationToken cancellationToken = default)
    {
        Lookups.Add((queue, id));
        return ValueTask.FromResult(Stored.GetValueOrDefault((queue, id)));
    }
}

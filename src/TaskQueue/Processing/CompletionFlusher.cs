using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TaskQueue.Storage;

namespace TaskQueue.Processing;

/// <summary>
/// Collects attempt outcomes from every handler in a channel and writes them to the store in batches
/// from one loop. Store failures are retried with backoff (never dropped while the worker runs);
/// completions the store rejects (stale lease token) are logged and never retried.
/// </summary>
internal sealed class CompletionFlusher
{
    private readonly Channel<JobCompletion> _channel = Channel.CreateUnbounded<JobCompletion>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IJobStore _store;
    private readonly int _batchSize;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public CompletionFlusher(IJobStore store, int batchSize, TimeProvider time, ILogger logger)
    {
        _store = store;
        _batchSize = batchSize;
        _time = time;
        _logger = logger;
    }

    /// <summary>Queues a completion; false once <see cref="Complete"/> was called.</summary>
    public bool TryPost(JobCompletion completion) => _channel.Writer.TryWrite(completion);

    /// <summary>No more completions: <see cref="RunAsync"/> returns once the rest is written.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Writes completions until <see cref="Complete"/> was called and all are written, or <paramref name="giveUp"/> fires while the store fails.</summary>
    public async Task RunAsync(CancellationToken giveUp)
    {
        var reader = _channel.Reader;
        var batch = new List<JobCompletion>(_batchSize);
        var backoff = new StoreBackoff(_time);
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _batchSize && reader.TryRead(out var completion))
            {
                batch.Add(completion);
            }

            if (!await FlushAsync(batch, backoff, giveUp).ConfigureAwait(false))
            {
                var lost = batch.Count;
                while (reader.TryRead(out _))
                {
                    lost++;
                }

                _logger.CompletionsAbandoned(lost);
            }
        }
    }

    private async Task<bool> FlushAsync(List<JobCompletion> batch, StoreBackoff backoff, CancellationToken giveUp)
    {
        while (true)
        {
            try
            {
                var rejected = await _store.CompleteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                foreach (var completion in rejected)
                {
                    _logger.CompletionRejected(completion.Kind.ToString(), completion.Lease.Id.Value, completion.Lease.Queue);
                }

                backoff.Reset();
                return true;
            }
            catch (Exception exception)
            {
                _logger.StoreFailed(exception, nameof(IJobStore.CompleteAsync), backoff.NextDelay);
                if (giveUp.IsCancellationRequested || !await backoff.DelayAsync(giveUp).ConfigureAwait(false))
                {
                    return false;
                }
            }
        }
    }
}

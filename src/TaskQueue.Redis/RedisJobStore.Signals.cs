using System.Collections.Concurrent;
using System.Diagnostics;
using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

public sealed partial class RedisJobStore
{
    /// <summary>How long a subscription is retried while its connection comes up.</summary>
    private static readonly TimeSpan SubscribeRetryTime = TimeSpan.FromSeconds(5);

    /// <summary>The longest single wait.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    /// <summary>Per queue, what the last fetch that emptied it saw; taken by the next wait.</summary>
    private readonly ConcurrentDictionary<string, EmptyFetch> _emptyFetches = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    /// <remarks>
    /// Subscribes once per store to the work channel (scripts publish a queue's name when its ready list goes
    /// from empty to non-empty, when an earlier scheduled job or retry arrives, on resume and requeue). Then it
    /// looks at the queues: ready work returns at once; otherwise it sleeps until a signal, the earliest due
    /// scheduled job, or <paramref name="maxWait"/> (the safety-net poll).
    /// </remarks>
    /// <exception cref="RedisJobStoreException">Redis was unreachable.</exception>
    public async ValueTask WaitForWorkAsync(IReadOnlyList<string> queues, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queues);
        foreach (var queue in queues)
        {
            ValidQueue(queue);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (maxWait <= TimeSpan.Zero || queues.Count == 0)
        {
            return;
        }

        // Without the subscription (its connection is still coming up) the wait is a plain poll: the safety net.
        await TryEnsureWorkSubscriptionAsync().ConfigureAwait(false);

        // Take the signals before looking, so a signal sent after the look is never missed.
        var signals = new Task[queues.Count + 1];
        for (var i = 0; i < queues.Count; i++)
        {
            signals[i] = WorkSignal(queues[i]);
        }

        // A fetch that emptied the queue after taking the same signal already looked (RememberEmptyFetch).
        var looks = new QueueLook?[queues.Count];
        for (var i = 0; i < queues.Count; i++)
        {
            if (_emptyFetches.TryRemove(queues[i], out var fetched))
            {
                if (fetched.Signal != signals[i])
                {
                    return; // Signalled since that fetch: there may be work.
                }

                looks[i] = fetched.LookNow();
            }
        }

        // Task.Delay takes at most int.MaxValue ms; the poll is a safety net, so a cap changes nothing.
        var wait = maxWait < MaxWait ? maxWait : MaxWait;
        var peeks = new Task<RedisResult>?[queues.Count];
        for (var i = 0; i < queues.Count; i++)
        {
            var queue = queues[i];
            if (looks[i] is null)
            {
                peeks[i] = EvalAsync(RedisScripts.Peek, _keys.For(queue).StateKeys(), [], () => $"look for work in queue '{queue}'");
            }
        }

        for (var i = 0; i < queues.Count; i++)
        {
            if (looks[i] is not { } look)
            {
                var state = (RedisResult[])(await peeks[i]!.ConfigureAwait(false))!;
                if ((long)state[0] > 0 && (long)state[1] == 0)
                {
                    return;
                }

                look = new QueueLook((long)state[1] == 1, (long)state[2]);
            }

            if (look.Paused)
            {
                continue; // Resuming publishes a signal.
            }

            var nextDueMs = look.NextDueMs;
            if (nextDueMs >= 0)
            {
                // Due already (or within a millisecond): the next fetch promotes it.
                if (nextDueMs == 0)
                {
                    return;
                }

                wait = TimeSpan.FromMilliseconds(Math.Min(wait.TotalMilliseconds, nextDueMs));
            }
        }

        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        signals[^1] = Task.Delay(wait, stopDelay.Token);
        await Task.WhenAny(signals).ConfigureAwait(false);

        // Synchronously: the only callback is the delay's own timer clean-up, and awaiting CancelAsync would add a
        // thread-pool hop between the signal and the fetch.
        stopDelay.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable.</exception>
    public async ValueTask<IAsyncDisposable> SubscribeToCancellationsAsync(Action<JobId> onCancel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onCancel);
        cancellationToken.ThrowIfCancellationRequested();
        var messages = await SubscribeWithRetryAsync(_keys.CancelChannel, cancellationToken).ConfigureAwait(false);

        messages.OnMessage(message =>
        {
            if (JobId.TryParse(message.Message.ToString(), out var id))
            {
                onCancel(id);
            }
        });
        return new CancellationSubscription(messages);
    }

    private async Task TryEnsureWorkSubscriptionAsync()
    {
        if (_workSubscribed)
        {
            return;
        }

        await _subscribeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_workSubscribed)
            {
                // StackExchange.Redis re-subscribes by itself after a reconnect, so this runs once per store.
                await Connection.GetSubscriber().SubscribeAsync(_keys.WorkSignalChannel, (_, queue) => SignalWork(queue.ToString())).ConfigureAwait(false);
                _workSubscribed = true;
            }
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            // Tried again on the next wait.
        }
        finally
        {
            _subscribeLock.Release();
        }
    }

    /// <summary>
    /// Subscribes, retrying for a few seconds while the subscription connection is still being established
    /// (right after connecting, or during a reconnect).
    /// </summary>
    private async Task<ChannelMessageQueue> SubscribeWithRetryAsync(RedisChannel channel, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + SubscribeRetryTime;
        while (true)
        {
            try
            {
                return await Connection.GetSubscriber().SubscribeAsync(channel).ConfigureAwait(false);
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex) && ex is not OperationCanceledException)
            {
                throw RedisStoreErrors.CallFailed($"subscribe to {channel}", ex);
            }
        }
    }

    /// <summary>The signal the next wake-up of <paramref name="queue"/> completes.</summary>
    private Task WorkSignal(string queue)
        => _workSignals.GetOrAdd(queue, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>
    /// Keeps what a fetch that emptied every ready list of <paramref name="queue"/> saw, with the signal taken before
    /// it, so the wait that follows needs no peek. Sound for the same reason as the peek: a job pushed after the fetch
    /// finds the list empty and publishes, which completes that signal (or it was completed earlier, and the waiter
    /// sees a different one and looks again).
    /// </summary>
    private void RememberEmptyFetch(string queue, Task signal, QueueLook look, long sentTimestamp)
        => _emptyFetches[queue] = new EmptyFetch(signal, look, sentTimestamp);

    /// <summary>Wakes every waiter of <paramref name="queue"/>; the next waiter gets a fresh signal.</summary>
    private void SignalWork(string queue)
    {
        if (_workSignals.TryRemove(queue, out var signal))
        {
            signal.TrySetResult();
        }
    }

    /// <summary>
    /// Wakes every waiter of every queue, so each looks again: a signal published while the subscription was down is
    /// lost, and a ready list that stays non-empty sends no new one.
    /// </summary>
    private void WakeAllWaiters()
    {
        foreach (var queue in _workSignals.Keys)
        {
            SignalWork(queue);
        }
    }

    /// <summary>
    /// Wakes every waiter once the restored subscription connection answers a PING, so the channels it resubscribed
    /// are live before the waiters look (a signal sent after their look then reaches them).
    /// </summary>
    private async Task WakeWaitersAfterResubscribeAsync()
    {
        try
        {
            if (_connection is { } connection)
            {
                await connection.GetSubscriber().PingAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            // Wake them anyway: they look at the queues, which is all a wake-up is for.
        }
        finally
        {
            WakeAllWaiters();
        }
    }

    /// <summary>What an emptying fetch saw (<see cref="RememberEmptyFetch"/>), used once by the next wait.</summary>
    private readonly record struct EmptyFetch(Task Signal, QueueLook Look, long SentTimestamp)
    {
        /// <summary>The look with its due time counted from now (from when the fetch was sent: a little early, never late).</summary>
        public QueueLook LookNow()
            => Look.NextDueMs <= 0
                ? Look
                : Look with { NextDueMs = Math.Max(0, Look.NextDueMs - (long)Stopwatch.GetElapsedTime(SentTimestamp).TotalMilliseconds) };
    }

    /// <summary>Ends one cancellation subscription.</summary>
    private sealed class CancellationSubscription(ChannelMessageQueue messages) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                try
                {
                    await messages.UnsubscribeAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
                {
                    // The connection is gone: the subscription went with it.
                }
            }
        }
    }
}

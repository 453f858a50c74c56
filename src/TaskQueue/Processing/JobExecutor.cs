using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskQueue.Storage;

namespace TaskQueue.Processing;

/// <summary>
/// Runs fetched attempts on the thread pool and decides each one's outcome exactly once: success,
/// retry (with the job's backoff), dead letter, release (shutdown) or nothing (cancelled / lease lost,
/// where the store already moved the job and would reject an outcome).
/// </summary>
/// <remarks>
/// Timeout: when the per-attempt timeout elapses the handler's token fires and the attempt is failed at
/// that moment (retry or dead letter with a <see cref="TimeoutException"/> naming the job), even if the handler
/// ignores its token and keeps running; whatever it does later is discarded. Its concurrency slot stays
/// taken until it really returns, so a misbehaving handler can never make the worker exceed its concurrency.
/// </remarks>
internal sealed class JobExecutor
{
    private const int MaxErrorLength = 16 * 1024;

    private readonly JobDispatcher _dispatcher;
    private readonly IServiceProvider _services;
    private readonly RunningJobs _running;
    private readonly CompletionFlusher _completions;
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan? _defaultTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random? _jitter;
    private readonly Action<RunningJob> _onTimeout;
    private IServiceScopeFactory? _scopeFactory;

    public JobExecutor(
        JobDispatcher dispatcher,
        IServiceProvider services,
        RunningJobs running,
        CompletionFlusher completions,
        SemaphoreSlim slots,
        TimeSpan? defaultTimeout,
        TimeProvider time,
        ILogger logger,
        Random? jitter)
    {
        _dispatcher = dispatcher;
        _services = services;
        _running = running;
        _completions = completions;
        _slots = slots;
        _defaultTimeout = defaultTimeout;
        _time = time;
        _logger = logger;
        _jitter = jitter;
        _onTimeout = OnTimeout;
    }

    /// <summary>Starts <paramref name="job"/> on the thread pool; the caller already took a concurrency slot for it.</summary>
    public void Start(LeasedJob job)
    {
        var run = new RunningJob(this, job, _time.GetTimestamp());
        _running.Add(run);

        // Not on the fetch loop: a handler that blocks before its first await must not stall fetching.
        // Unsafe: the fetch loop's ExecutionContext (AsyncLocals) must not leak into handlers.
        ThreadPool.UnsafeQueueUserWorkItem(run, preferLocal: false);
    }

    /// <summary>Cancels a running attempt because the worker is shutting down and returns it to the queue uncounted.</summary>
    public void Release(RunningJob run)
    {
        if (run.Cancel(CancelReason.Shutdown))
        {
            var job = run.Job;
            if (Finish(run, new JobCompletion { Lease = job.Lease, Kind = CompletionKind.Release }))
            {
                _logger.JobReleased(job.Name, job.Id.Value, job.Attempt);
            }
        }
    }

    /// <summary>Cancels a running attempt whose job was cancelled or whose lease was lost; no outcome is recorded.</summary>
    public void Abandon(RunningJob run, CancelReason reason)
    {
        if (run.Cancel(reason) && Finish(run, completion: null))
        {
            var job = run.Job;
            if (reason == CancelReason.JobCancelled)
            {
                _logger.JobCancelled(job.Name, job.Id.Value, job.Attempt);
            }
            else
            {
                _logger.LeaseLost(job.Name, job.Id.Value, job.Attempt);
            }
        }
    }

    /// <summary>Runs one attempt to its outcome; called on the thread pool by <see cref="RunningJob.Execute"/>.</summary>
    internal async Task RunAsync(RunningJob run)
    {
        var job = run.Job;
        JobDefinition? definition = null;
        try
        {
            if (!_dispatcher.TryGetJob(job.Name, out var registration))
            {
                throw new UnknownJobException(job.Name);
            }

            definition = registration.Definition;
            if ((job.Timeout ?? definition.Timeout ?? _defaultTimeout) is { } timeout)
            {
                run.StartTimeout(_time, timeout, _onTimeout);
            }

            _logger.JobStarted(job.Name, job.Id.Value, job.Attempt);
            byte[]? result;
            if (definition.RequiresScope)
            {
                var scope = (_scopeFactory ??= _services.GetRequiredService<IServiceScopeFactory>()).CreateAsyncScope();
                await using (scope.ConfigureAwait(false))
                {
                    result = await registration.Invoker(job.Payload, CreateContext(run, scope.ServiceProvider)).ConfigureAwait(false);
                }
            }
            else
            {
                result = await registration.Invoker(job.Payload, CreateContext(run, _services)).ConfigureAwait(false);
            }

            if (Finish(run, new JobCompletion { Lease = job.Lease, Kind = CompletionKind.Succeeded, Result = AsResult(result) }))
            {
                _logger.JobSucceeded(job.Name, job.Id.Value, job.Attempt, _time.GetElapsedTime(run.StartedTimestamp).TotalMilliseconds);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException && run.Reason != CancelReason.None)
        {
            // The canceller (timeout, job cancel, lost lease, shutdown) already decided the outcome.
        }
        catch (Exception exception)
        {
            Fail(run, definition, exception);
        }
        finally
        {
            run.Dispose();
            _slots.Release();
        }
    }

    private static JobContext CreateContext(RunningJob run, IServiceProvider services)
    {
        var job = run.Job;
        return new JobContext(job.Id, job.Name, job.Queue, job.Attempt, job.EnqueuedAt, services, run.Token);
    }

    private void OnTimeout(RunningJob run)
    {
        if (!run.Cancel(CancelReason.Timeout))
        {
            return;
        }

        var job = run.Job;
        _dispatcher.TryGetJob(job.Name, out var registration);
        var timeout = job.Timeout ?? registration.Definition?.Timeout ?? _defaultTimeout;
        _logger.JobTimedOut(job.Name, job.Id.Value, job.Attempt, timeout.GetValueOrDefault());
        Fail(run, registration.Definition, new TimeoutException($"Job '{job.Name}' ({job.Id}) timed out after {timeout} on attempt {job.Attempt}; its cancellation token was cancelled."));
    }

    /// <summary>Retries while retries are left; payload and unknown-job errors, and exhausted jobs, go to the dead letters.</summary>
    private void Fail(RunningJob run, JobDefinition? definition, Exception exception)
    {
        var job = run.Job;
        var error = FormatError(exception);
        var retryable = definition is not null && exception is not (JobPayloadException or UnknownJobException);
        if (retryable && job.Attempt <= job.MaxRetries)
        {
            var delay = definition!.Retry.GetDelay(job.Attempt, NextJitter());
            if (Finish(run, new JobCompletion { Lease = job.Lease, Kind = CompletionKind.Retry, RetryDelay = delay, Error = error }))
            {
                _logger.JobRetrying(exception, job.Name, job.Id.Value, job.Attempt, job.Attempt, job.MaxRetries, delay);
            }

            return;
        }

        if (Finish(run, new JobCompletion { Lease = job.Lease, Kind = CompletionKind.DeadLetter, Error = error }))
        {
            var reason = retryable ? $"out of retries ({job.MaxRetries})" : "not retryable: " + exception.GetType().Name;
            _logger.JobDeadLettered(exception, job.Name, job.Id.Value, job.Attempt, reason);
        }
    }

    /// <summary>Records the attempt's outcome if nobody did yet; false when it was already decided.</summary>
    private bool Finish(RunningJob run, JobCompletion? completion)
    {
        if (!run.TryFinish())
        {
            return false;
        }

        _running.Remove(run);
        if (completion is not null && !_completions.TryPost(completion))
        {
            _logger.CompletionDropped(run.Job.Name, run.Job.Id.Value, run.Job.Attempt);
        }

        return true;
    }

    // A null byte[] converts implicitly to an empty ReadOnlyMemory; "no result" must stay null.
    private static ReadOnlyMemory<byte>? AsResult(byte[]? result)
    {
        if (result is null)
        {
            return null;
        }

        return result;
    }

    private double NextJitter()
    {
        if (_jitter is null)
        {
            return Random.Shared.NextDouble();
        }

        lock (_jitter)
        {
            return _jitter.NextDouble();
        }
    }

    private static string FormatError(Exception exception)
    {
        // Type, message and stack trace (ToString includes inner exceptions), bounded so one huge error cannot bloat storage.
        var text = exception.ToString();
        return text.Length <= MaxErrorLength ? text : string.Concat(text.AsSpan(0, MaxErrorLength), "... (truncated)");
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskQueue.Storage;
using TaskQueue.Telemetry;

namespace TaskQueue.Processing;

/// <summary>
/// Runs fetched attempts on the thread pool and decides each one's outcome exactly once: success, a failure
/// (retry, deferral or dead letter, as the <see cref="RetryDecider"/> says), release (shutdown) or nothing
/// (cancelled / lease lost, where the store already moved the job and would reject an outcome).
/// </summary>
/// <remarks>
/// Timeout: when the per-attempt timeout elapses the handler's token fires, but the attempt keeps its concurrency
/// slot, its place among the running jobs (so its lease is still extended and shutdown waits for it) until the handler
/// really returns; only then is it failed with a <see cref="TimeoutException"/> naming the job. A handler that ignores
/// its token (a blocking synchronous job) therefore never overlaps with a retry of itself in this worker; that it
/// overran is logged.
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
    private readonly RetryDecider _decider;
    private readonly TimeSpan _unknownJobGraceTime;
    private readonly UnknownJobNames _unknownNames = new();
    private readonly Action<RunningJob> _onTimeout;
    private IServiceScopeFactory? _scopeFactory;

    private readonly IJobStore _store;

    public JobExecutor(
        IJobStore store,
        JobDispatcher dispatcher,
        IServiceProvider services,
        RunningJobs running,
        CompletionFlusher completions,
        SemaphoreSlim slots,
        TimeSpan? defaultTimeout,
        TimeProvider time,
        ILogger logger,
        RetryDecider decider,
        TimeSpan unknownJobGraceTime)
    {
        _store = store;
        _dispatcher = dispatcher;
        _services = services;
        _running = running;
        _completions = completions;
        _slots = slots;
        _defaultTimeout = defaultTimeout;
        _time = time;
        _logger = logger;
        _decider = decider;
        _unknownJobGraceTime = unknownJobGraceTime;
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

        // Every log line of the attempt, the handler's own included, carries the job's id, name and attempt;
        // the span is current for the handler, so its own activities (HTTP calls...) are the attempt's children.
        var logScope = _logger.BeginScope(run);
        run.Telemetry = AttemptTelemetry.Start(job);
        if (run.IsFinished)
        {
            // Released or abandoned before it started: that decision did not see the telemetry.
            run.Telemetry?.Decided(OutcomeOf(completion: null, run.Reason));
        }

        try
        {
            if (!_dispatcher.TryGetJob(job.Name, out var registration))
            {
                Defer(run);
                return;
            }

            definition = registration.Definition;
            if ((job.Timeout ?? definition.Timeout ?? _defaultTimeout) is { } timeout)
            {
                run.StartTimeout(_time, timeout, _onTimeout);
            }

            _logger.JobStarted(job.Name, job.Id.Value, job.Attempt);
            run.Telemetry?.HandlerStarting(_time);
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

            if (run.Reason == CancelReason.Timeout)
            {
                // It finished, but only after its timeout: the attempt failed.
                Fail(run, definition, exception: null);
            }
            else if (Finish(run, new JobCompletion { Lease = job.Lease, Kind = CompletionKind.Succeeded, Result = AsResult(result) }))
            {
                _logger.JobSucceeded(job.Name, job.Id.Value, job.Attempt, _time.GetElapsedTime(run.StartedTimestamp).TotalMilliseconds);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException && run.Reason is CancelReason.JobCancelled or CancelReason.LeaseLost or CancelReason.Shutdown)
        {
            // The canceller (job cancel, lost lease, shutdown) already decided the outcome.
        }
        catch (Exception exception)
        {
            Fail(run, definition, exception);
        }
        finally
        {
            run.Telemetry?.Stop(_time);
            logScope?.Dispose();
            run.Dispose();
            _slots.Release();
        }
    }

    private JobContext CreateContext(RunningJob run, IServiceProvider services)
    {
        var job = run.Job;
        return new JobContext(job.Id, job.Name, job.Queue, job.Attempt, job.EnqueuedAt, services, run.Token, _store, job.LeaseToken);
    }

    /// <summary>Fires the handler's token; the attempt fails when the handler returns (see the class remarks).</summary>
    private void OnTimeout(RunningJob run)
    {
        if (run.Cancel(CancelReason.Timeout))
        {
            var job = run.Job;
            _logger.JobTimedOut(job.Name, job.Id.Value, job.Attempt, run.Timeout.GetValueOrDefault());
        }
    }

    /// <summary>Records a failed attempt as the <see cref="RetryDecider"/> says: retry, or dead letter.</summary>
    /// <param name="run">The attempt.</param>
    /// <param name="definition">The job's definition.</param>
    /// <param name="exception">What the handler threw, or null when it returned after its timeout.</param>
    private void Fail(RunningJob run, JobDefinition? definition, Exception? exception)
    {
        var job = run.Job;
        FailureKind kind;
        if (run.Reason == CancelReason.Timeout)
        {
            kind = FailureKind.Timeout;
            var overrun = _time.GetElapsedTime(run.StartedTimestamp) - run.Timeout.GetValueOrDefault();
            _logger.JobOverran(job.Name, job.Id.Value, job.Attempt, Math.Max(0, overrun.TotalMilliseconds));
            exception = new TimeoutException(
                $"Job '{job.Name}' ({job.Id}) timed out after {run.Timeout} on attempt {job.Attempt}; its cancellation token was cancelled.", exception);
            run.Telemetry?.Failed(exception, TelemetryTags.TimeoutError);
        }
        else
        {
            kind = exception is JobPayloadException ? FailureKind.InvalidPayload : FailureKind.Exception;
            exception ??= new InvalidOperationException($"Job '{job.Name}' ({job.Id}) failed.");
            run.Telemetry?.Failed(exception, TelemetryTags.ErrorTypeOf(exception));
        }

        var completion = _decider.Decide(job.Lease, kind, job.Attempt, job.MaxRetries, definition?.Retry ?? RetryPolicy.Default, job.Deferrals, FormatError(exception));
        if (!Finish(run, completion))
        {
            return;
        }

        if (completion.Kind == CompletionKind.Retry)
        {
            _logger.JobRetrying(exception, job.Name, job.Id.Value, job.Attempt, job.Attempt, job.MaxRetries, completion.RetryDelay);
        }
        else
        {
            var reason = kind == FailureKind.InvalidPayload ? "not retryable: " + exception.GetType().Name : $"out of retries ({job.MaxRetries})";
            _logger.JobDeadLettered(exception, job.Name, job.Id.Value, job.Attempt, reason);
        }
    }

    /// <summary>
    /// No handler for the job's name here (a rolling deploy, or another app's job): hands it back uncounted for a worker
    /// that knows it, with a growing delay, until the grace time is used up (then it is a dead letter).
    /// </summary>
    private void Defer(RunningJob run)
    {
        var job = run.Job;
        if (_unknownNames.FirstTime(job.Name))
        {
            _logger.UnknownJobName(job.Name, job.Queue, _unknownJobGraceTime);
        }

        var exception = new UnknownJobException(job.Name);
        run.Telemetry?.Failed(exception, TelemetryTags.ErrorTypeOf(exception));
        var completion = _decider.Decide(job.Lease, FailureKind.UnknownJob, job.Attempt, job.MaxRetries, RetryPolicy.Default, job.Deferrals, FormatError(exception));
        if (!Finish(run, completion))
        {
            return;
        }

        if (completion.Kind == CompletionKind.Defer)
        {
            _logger.JobDeferred(job.Name, job.Id.Value, completion.RetryDelay, job.Deferrals + 1);
        }
        else
        {
            _logger.JobDeadLettered(exception, job.Name, job.Id.Value, job.Attempt, $"no worker that fetched it knew the job for the grace time ({_unknownJobGraceTime}); deferred {job.Deferrals} times");
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
        run.Telemetry?.Decided(OutcomeOf(completion, run.Reason));
        if (completion is not null && !_completions.TryPost(completion))
        {
            _logger.CompletionDropped(run.Job.Name, run.Job.Id.Value, run.Job.Attempt);
        }

        return true;
    }

    private static JobOutcome OutcomeOf(JobCompletion? completion, CancelReason reason) => completion?.Kind switch
    {
        CompletionKind.Succeeded => JobOutcome.Succeeded,
        CompletionKind.Retry => JobOutcome.Retried,
        CompletionKind.DeadLetter => JobOutcome.DeadLettered,
        CompletionKind.Defer => JobOutcome.Deferred,
        CompletionKind.Release => JobOutcome.Released,

        // No completion: the store already moved the job (see Abandon).
        _ => reason switch
        {
            CancelReason.JobCancelled => JobOutcome.Cancelled,
            CancelReason.Shutdown => JobOutcome.Released,
            _ => JobOutcome.LeaseLost,
        },
    };

    // A null byte[] converts implicitly to an empty ReadOnlyMemory; "no result" must stay null.
    private static ReadOnlyMemory<byte>? AsResult(byte[]? result)
    {
        if (result is null)
        {
            return null;
        }

        return result;
    }

    private static string FormatError(Exception exception)
    {
        // Type, message and stack trace (ToString includes inner exceptions), bounded so one huge error cannot bloat storage.
        var text = exception.ToString();
        return text.Length <= MaxErrorLength ? text : string.Concat(text.AsSpan(0, MaxErrorLength), "... (truncated)");
    }
}

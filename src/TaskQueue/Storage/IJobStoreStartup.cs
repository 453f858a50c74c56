namespace TaskQueue.Storage;

/// <summary>
/// Optional capability of an <see cref="IJobStore"/> that becomes usable only some time after it is created,
/// e.g. a Redis store that connects in the background so the host can start while Redis is down. The
/// <see cref="Processing.Worker"/> waits for it before it starts and logs that it waits.
/// </summary>
public interface IJobStoreStartup
{
    /// <summary>True when the store can serve calls now. It may turn false again later (calls then fail and the worker backs off).</summary>
    bool IsAvailable { get; }

    /// <summary>Completes when the store can serve calls: at once when it already can.</summary>
    /// <param name="cancellationToken">Stops waiting (throws <see cref="OperationCanceledException"/>).</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    /// <remarks>A store that can never become available (e.g. its connection cannot be set up at all) throws; the worker then stops with that error.</remarks>
    ValueTask WaitUntilAvailableAsync(CancellationToken cancellationToken);
}

using System.CommandLine;
using TaskQueue.Admin;
using TaskQueue.Redis;
using TaskQueue.Scheduling;
using TaskQueue.Storage;

namespace TaskQueue.Cli;

/// <summary>One command's connection to the store, opened from the global options and waited for (bounded).</summary>
internal sealed class StoreSession : IAsyncDisposable
{
    private readonly RedisJobStore _store;

    private StoreSession(RedisJobStore store, string endpoint, bool json)
    {
        _store = store;
        Schedules = new RecurringJobClient(store);
        Endpoint = endpoint;
        Json = json;
    }

    public IJobAdmin Admin => _store;

    public IJobStore Store => _store;

    /// <summary>The recurring schedules of the store (RedisJobStore stores them too).</summary>
    public IRecurringJobClient Schedules { get; }

    /// <summary>Where it connects, without the password, for messages.</summary>
    public string Endpoint { get; }

    public bool Json { get; }

    public static async Task<StoreSession> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var connection = parse.GetValue(GlobalOptions.Redis)!;
        var options = new RedisJobStoreOptions { ConnectionString = connection };
        if (parse.GetValue(GlobalOptions.Prefix) is { } prefix)
        {
            options.KeyPrefix = prefix;
        }

        var endpoint = connection.Split(',')[0];
        RedisJobStore store;
        try
        {
            store = RedisJobStore.Connect(options);
        }
        catch (ArgumentException exception)
        {
            throw new CliException(ExitCodes.Usage, $"The Redis connection string is not valid: {exception.Message}");
        }

        var timeout = TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(GlobalOptions.Timeout)));
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await ((IJobStoreStartup)store).WaitUntilAvailableAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw new CliException(ExitCodes.StoreUnavailable, $"Cannot reach Redis at {endpoint} within {timeout.TotalSeconds:0.#} s. Check --redis (or ${GlobalOptions.RedisVariable}) and that the server is up.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw new CliException(ExitCodes.StoreUnavailable, $"Cannot reach Redis at {endpoint}: {exception.Message}");
        }

        return new StoreSession(store, endpoint, parse.GetValue(GlobalOptions.Json));
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}

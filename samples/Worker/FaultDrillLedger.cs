using System.Globalization;
using StackExchange.Redis;

namespace SampleWorker;

/// <summary>
/// Where the <c>FaultDrill</c> job records its runs (opt-in with <c>--fault-drill LEDGER</c>): a Redis of the fault
/// suite's own, apart from the job store's, so the faults a test injects into the store never touch the record.
/// </summary>
internal static class FaultDrillLedger
{
    /// <summary>The list of finished runs: "ID ATTEMPT PID UNIX_MS" per run, in the order they finished.</summary>
    public const string DoneKey = "fault-drill:done";

    private static IDatabase? s_database;

    public static async Task ConnectAsync(string connection)
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(connection).ConfigureAwait(false);
        s_database = multiplexer.GetDatabase();
    }

    /// <summary>Records one finished run; throws (so the attempt fails and is retried) when the ledger is not set up.</summary>
    public static Task RecordDoneAsync(string id, int attempt)
    {
        var database = s_database ?? throw new InvalidOperationException("The FaultDrill job needs --fault-drill LEDGER.");
        var entry = string.Create(CultureInfo.InvariantCulture, $"{id} {attempt} {Environment.ProcessId} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
        return database.ListRightPushAsync(DoneKey, entry);
    }
}

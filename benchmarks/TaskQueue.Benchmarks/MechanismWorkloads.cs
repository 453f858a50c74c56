using System.Globalization;
using System.Threading.Channels;
using StackExchange.Redis;
using TaskQueue.Generated;

namespace TaskQueue.Benchmarks;

/// <summary>
/// The bare mechanism of an at-least-once queue on Redis, with no TaskQueue code: raw StackExchange.Redis and three
/// Lua scripts doing the least any such queue must do per job (store the payload, push the id, pop it with a lease,
/// acknowledge, delete), batched and pipelined the way our store and worker are. Our <c>add-bulk</c> and
/// <c>drain</c> rows are reported as a fraction of these (issue #14).
/// </summary>
/// <remarks>
/// What it keeps of our shape: bulk enqueue in calls of <see cref="EnqueueBatch"/> jobs, one call in flight;
/// the drain takes free slots of <c>--concurrency</c> (default 100), fetches at most <see cref="FetchBatch"/> per
/// call with one fetch in flight, and acknowledges in calls of at most <see cref="AckBatch"/> from one loop, one call
/// in flight; the same connection settings (<see cref="SocketManager.ThreadPool"/>) and the same no-op payload.
/// What it leaves out on purpose: priorities, delayed jobs, retries, attempts, pausing, lease tokens and their check,
/// wake-up signals, statistics, result retention, validation, ids from a generator (ids are a counter padded to
/// our ids' 36 characters), the thread-pool hop to a handler (the no-op "handler" runs inline) and payload parsing
/// (the sequence number is read from the id).
/// </remarks>
internal static class MechanismWorkloads
{
    /// <summary>Jobs per enqueue call: our add-bulk row's batch.</summary>
    private const int EnqueueBatch = 100;

    /// <summary>Jobs per fetch call at most, and per acknowledgement call: <c>WorkerOptions.FetchBatchSize</c> and <c>CompletionBatchSize</c> defaults.</summary>
    private const int FetchBatch = 64;
    private const int AckBatch = 128;

    private const string JobPrefix = "{m}:job:";
    private static readonly RedisKey[] s_keys = ["{m}:ready", "{m}:leases"];

    // KEYS[1] ready list, ARGV[1] job key prefix, ARGV[2..] id, payload per job. Returns the list's length.
    private const string EnqueueScript = """
        local ids = {}
        for i = 2, #ARGV, 2 do
          redis.call('HSET', ARGV[1] .. ARGV[i], 'payload', ARGV[i + 1])
          ids[#ids + 1] = ARGV[i]
        end
        return redis.call('LPUSH', KEYS[1], unpack(ids))
        """;

    // KEYS[1] ready list, KEYS[2] lease zset; ARGV[1] job key prefix, ARGV[2] max jobs, ARGV[3] lease deadline ms.
    // Returns id, payload per leased job.
    private const string FetchScript = """
        local ids = redis.call('RPOP', KEYS[1], ARGV[2])
        if not ids then return {} end
        local out, leases = {}, {}
        for _, id in ipairs(ids) do
          leases[#leases + 1] = ARGV[3]
          leases[#leases + 1] = id
          out[#out + 1] = id
          out[#out + 1] = redis.call('HGET', ARGV[1] .. id, 'payload')
        end
        redis.call('ZADD', KEYS[2], unpack(leases))
        return out
        """;

    // KEYS[2] lease zset; ARGV[1] job key prefix, ARGV[2..] ids. Returns how many leases were held.
    private const string AckScript = """
        local keys = {}
        for i = 2, #ARGV do keys[#keys + 1] = ARGV[1] .. ARGV[i] end
        local held = redis.call('ZREM', KEYS[2], unpack(ARGV, 2))
        redis.call('DEL', unpack(keys))
        return held
        """;

    /// <summary>Bulk enqueue: <see cref="EnqueueBatch"/> jobs per call, one call in flight (our <c>add-bulk</c>).</summary>
    public static async Task<RunResult> AddBulkAsync(BenchContext context)
    {
        var jobs = context.JobsOr(200_000);
        await using var connection = await ConnectAsync(context);
        var db = connection.GetDatabase();
        return await Workloads.MeasureAsync(context, jobs,
            () => EnqueueAsync(db, jobs, EnqueueBatch),
            async () =>
            {
                // Exactly that many ids waiting and that many job hashes (every key but the list).
                var waiting = await db.ListLengthAsync(s_keys[0]);
                var hashes = (long)await db.ExecuteAsync("DBSIZE") - 1;
                return ((int)Math.Max(0, jobs - Math.Min(waiting, hashes)), (int)(Math.Max(0, waiting - jobs) + Math.Max(0, hashes - jobs)));
            });
    }

    /// <summary>Prefills the list (not timed), then times fetch + no-op + acknowledgement until every job ran once.</summary>
    public static async Task<RunResult> DrainAsync(BenchContext context)
    {
        var jobs = context.JobsOr(100_000);
        var concurrency = context.Options.Concurrency ?? 100;
        await using var connection = await ConnectAsync(context);
        var db = connection.GetDatabase();
        await EnqueueAsync(db, jobs, 500);
        DeliveryLedger.Reset(jobs);
        var acks = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        Task? acking = null;
        return await Workloads.MeasureAsync(context, jobs,
            async () =>
            {
                acking = AckLoopAsync(db, acks.Reader);
                await FetchLoopAsync(db, jobs, concurrency, acks.Writer);
            },
            async () =>
            {
                // Every acknowledgement written, then nothing may be left: no id, no lease, no job hash.
                acks.Writer.Complete();
                await acking!;
                var left = (long)await db.ExecuteAsync("DBSIZE");
                if (left != 0)
                {
                    Console.Error.WriteLine($"mechanism-drain: {left} keys left after the drain");
                }

                var (missing, duplicates) = DeliveryLedger.Check();
                return (Math.Max(missing, (int)left), duplicates);
            });
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(BenchContext context)
    {
        var configuration = ConfigurationOptions.Parse(context.Server.Endpoint);
        if (!context.Options.DedicatedIoThreads)
        {
            configuration.SocketManager = SocketManager.ThreadPool;
        }

        return await ConnectionMultiplexer.ConnectAsync(configuration);
    }

    private static async Task EnqueueAsync(IDatabase db, int jobs, int batch)
    {
        var args = new RedisValue[1 + (2 * batch)];
        args[0] = JobPrefix;
        for (var sent = 0; sent < jobs; sent += batch)
        {
            var count = Math.Min(batch, jobs - sent);
            var call = count == batch ? args : new RedisValue[1 + (2 * count)];
            call[0] = JobPrefix;
            for (var i = 0; i < count; i++)
            {
                call[1 + (2 * i)] = Id(sent + i);
                call[2 + (2 * i)] = Jobs.Noop.Serialize(sent + i);
            }

            await db.ScriptEvaluateAsync(EnqueueScript, [s_keys[0]], call);
        }
    }

    /// <summary>Takes free slots, fetches up to that many (one fetch in flight), runs each inline and queues its acknowledgement.</summary>
    private static async Task FetchLoopAsync(IDatabase db, int jobs, int concurrency, ChannelWriter<string> acks)
    {
        var slots = new SemaphoreSlim(concurrency);
        var fetched = 0;
        while (fetched < jobs)
        {
            await slots.WaitAsync();
            var free = 1;
            while (free < FetchBatch && slots.Wait(0))
            {
                free++;
            }

            var deadline = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 30_000;
            var reply = (RedisResult[])(await db.ScriptEvaluateAsync(FetchScript, s_keys, [JobPrefix, free, deadline]))!;
            var count = reply.Length / 2;
            for (var i = 0; i < count; i++)
            {
                var id = (string)reply[2 * i]!;
                DeliveryLedger.Record(int.Parse(id.AsSpan(id.Length - 10), NumberStyles.None, CultureInfo.InvariantCulture));
                acks.TryWrite(id);
                slots.Release();
            }

            fetched += count;
            if (free > count)
            {
                slots.Release(free - count);
            }

            if (count == 0)
            {
                // Prefilled: an empty list before every job was fetched means jobs were lost; the check reports them.
                return;
            }
        }
    }

    /// <summary>Acknowledges in batches of at most <see cref="AckBatch"/>, one call in flight (our completion flusher's shape).</summary>
    private static async Task AckLoopAsync(IDatabase db, ChannelReader<string> acks)
    {
        var batch = new List<RedisValue>(AckBatch + 1);
        while (await acks.WaitToReadAsync())
        {
            batch.Clear();
            batch.Add(JobPrefix);
            while (batch.Count <= AckBatch && acks.TryRead(out var id))
            {
                batch.Add(id);
            }

            await db.ScriptEvaluateAsync(AckScript, s_keys, [.. batch]);
        }
    }

    /// <summary>A 36-character id (the length of ours) ending in the sequence number's 10 digits.</summary>
    private static string Id(int sequence)
        => "00000000-0000-7000-8000-00" + sequence.ToString("D10", CultureInfo.InvariantCulture);
}

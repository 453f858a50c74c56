using System.Diagnostics;
using System.Globalization;

namespace TaskQueue.Benchmarks;

/// <summary>
/// The Redis ceiling: <c>redis-benchmark</c> sending pipelined EVALSHA of one script that does, for one job, the Redis
/// work of our enqueue, fetch and complete scripts (hash write, list push/pop, lease zset add/remove, state
/// updates, expiry, day counter). No client work, no batching limits: the most jobs/s one Redis core can record.
/// </summary>
internal static class CeilingWorkload
{
    // KEYS[1] job key prefix, KEYS[2] ready list, KEYS[3] active zset, KEYS[4] stats hash; ARGV[1] job id.
    private const string LifecycleScript = """
        local key = KEYS[1] .. ARGV[1]
        redis.call('HSET', key, 'name', 'Noop', 'payload', '{"sequence":1}', 'prio', 2, 'attempt', 0, 'maxr', 3, 'enq', 1)
        redis.call('HSET', key, 'state', 'pending')
        redis.call('RPUSH', KEYS[2], ARGV[1])
        local id = redis.call('LPOP', KEYS[2])
        local job = KEYS[1] .. id
        redis.call('HMGET', job, 'name', 'payload', 'prio', 'maxr', 'timeout', 'enq', 'trace')
        redis.call('HINCRBY', job, 'attempt', 1)
        redis.call('HSET', job, 'state', 'active', 'token', 't-1', 'worker', 'w', 'started', 1)
        redis.call('HDEL', job, 'progress')
        redis.call('ZADD', KEYS[3], 1, id)
        redis.call('HMGET', job, 'state', 'token', 'prio', 'idem', 'uuf')
        redis.call('ZREM', KEYS[3], id)
        redis.call('HDEL', job, 'token', 'worker', 'started')
        redis.call('HSET', job, 'state', 'succeeded', 'fin', 2)
        redis.call('PEXPIRE', job, 86400000)
        redis.call('HINCRBY', KEYS[4], 'processed', 1)
        return 1
        """;

    public static async Task<RunResult> RunAsync(BenchContext context)
    {
        var jobs = context.JobsOr(500_000);
        var sha = (string)(await context.Server.Admin.GetDatabase().ExecuteAsync("SCRIPT", "LOAD", LifecycleScript))!;
        var before = await context.Server.ReadCountersAsync();
        var arguments = $"-h 127.0.0.1 -p {context.Server.Port.ToString(CultureInfo.InvariantCulture)} -n {jobs} -c 50 -P 32 -r 100000000 --csv "
            + $"evalsha {sha} 4 {{c}}:job: {{c}}:ready {{c}}:active {{c}}:stats __rand_int__";
        using var benchmark = Process.Start(new ProcessStartInfo("redis-benchmark", arguments) { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("redis-benchmark did not start; install redis-tools.");
        var output = await benchmark.StandardOutput.ReadToEndAsync();
        await benchmark.WaitForExitAsync();
        var after = await context.Server.ReadCountersAsync();

        // CSV: "test","rps",... with one data line.
        var data = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("\"evalsha", StringComparison.OrdinalIgnoreCase));
        var rps = double.Parse(data.Split(',')[1].Trim('"'), CultureInfo.InvariantCulture);
        var processed = (long)(await context.Server.Admin.GetDatabase().HashGetAsync("{c}:stats", "processed"));
        return new RunResult
        {
            Jobs = jobs,
            Seconds = jobs / rps,
            Missing = (int)Math.Max(0, jobs - processed),
            Duplicates = (int)Math.Max(0, processed - jobs),
            Redis = after - before,
            ClientCpuSeconds = 0,
            PeakRssBytes = 0,
        };
    }
}

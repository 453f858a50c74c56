using System.Diagnostics;
using System.Globalization;

namespace TaskQueue.Benchmarks;

/// <summary>
/// The Redis ceiling: <c>redis-benchmark</c> sending pipelined EVALSHA of one script that does, for a batch of
/// <see cref="BatchSize"/> jobs, the Redis work of our enqueue, fetch and complete scripts (v2: leases in a hash,
/// one command per job in each script and the rest once per call). No client work: the most jobs/s one Redis core
/// can record with these scripts.
/// </summary>
/// <remarks>
/// The shape is per call, not per job, because that is what the real scripts do: bulk enqueue sends 100-500 jobs per
/// call, fetch takes up to 32 and complete up to 128. Emulating one job per EVALSHA would charge every job the
/// per-call commands (TIME, EXISTS paused, the promote scans, the LPOPs of empty priorities, the lease HMGET/HDEL,
/// the day counter) that the real batches amortize; emulating each script at its own largest batch would flatter
/// fetch and complete. So all three run at a batch of 32, the fetch size, and the result is reported per job.
/// Not emulated: idempotency keys, delayed jobs and retries (none in drain), the deletion of succeeded jobs after
/// their retention (a LINDEX per complete call is emulated: the head is never expired in a run of minutes), and the
/// arguments real calls carry (6 values per enqueued job, 3 per completion: ids are made up inside the script).
/// </remarks>
internal static class CeilingWorkload
{
    /// <summary>Jobs per EVALSHA: the size of one fetch call, also used for the enqueue and complete calls.</summary>
    private const int BatchSize = 32;

    /// <summary>redis-benchmark connections and pipeline depth: 4 calls of 32 jobs in flight per connection keep about as many jobs in flight as v1's 32 calls of one job did.</summary>
    private const int Connections = 50;
    private const int Pipeline = 4;

    // KEYS[1] job key prefix, KEYS[2] ready list (normal), KEYS[3] active zset, KEYS[4] processed counter,
    // KEYS[5] leases hash, KEYS[6] succeeded list, KEYS[7] paused flag, KEYS[8] scheduled, KEYS[9] retry,
    // KEYS[10] ready list (critical), KEYS[11] ready list (high); ARGV[1] batch size, ARGV[2] id base (random).
    private const string LifecycleScript = """
        local n = tonumber(ARGV[1])
        local prefix = KEYS[1]
        local ids, keys = {}, {}
        for k = 1, n do ids[k] = ARGV[2] .. '-' .. k; keys[k] = prefix .. ids[k] end
        local function now()
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end

        -- enqueue.lua: one EXISTS over the call, one HSET per job, one RPUSH per priority.
        local now_s = string.format('%d', now())
        redis.call('EXISTS', unpack(keys))
        for k = 1, n do
          redis.call('HSET', keys[k], 'name', 'Noop', 'payload', '{"sequence":1}', 'prio', '2', 'attempt', '0', 'maxr', '3', 'enq', now_s, 'state', 'pending')
        end
        redis.call('RPUSH', KEYS[2], unpack(ids))

        -- fetch.lua: paused check, promote scans, LPOP by priority, one HMGET per job, one HSET of the leases, one ZADD.
        redis.call('EXISTS', KEYS[7])
        local t = now()
        redis.call('ZRANGEBYSCORE', KEYS[8], '-inf', t, 'LIMIT', 0, 1000)
        redis.call('ZRANGEBYSCORE', KEYS[9], '-inf', t, 'LIMIT', 0, 1000)
        redis.call('LPOP', KEYS[10], n)
        redis.call('LPOP', KEYS[11], n)
        local popped = redis.call('LPOP', KEYS[2], n)
        now_s = string.format('%d', t)
        local deadline_s = string.format('%d', t + 30000)
        local leases, deadlines, out = {}, {}, {}
        for k, id in ipairs(popped) do
          local f = redis.call('HMGET', prefix .. id, 'name', 'payload', 'prio', 'attempt', 'maxr', 'timeout', 'enq', 'trace', 'idem', 'uuf')
          local token = 'base-' .. k
          leases[#leases + 1] = id
          leases[#leases + 1] = token .. '|1|' .. f[3] .. '|' .. now_s .. '|1|w'
          deadlines[#deadlines + 1] = deadline_s
          deadlines[#deadlines + 1] = id
          local job = id .. '\n' .. f[1] .. '\n' .. f[3] .. '\n1\n' .. f[5] .. '\n\n' .. f[7] .. '\n' .. token .. '\n0\n' .. f[2]
          out[#out + 1] = #job .. '\n' .. job
        end
        redis.call('HSET', KEYS[5], unpack(leases))
        redis.call('ZADD', KEYS[3], unpack(deadlines))
        table.concat(out)

        -- complete.lua: one HMGET of the leases, one HSET per job, HDEL/ZREM/RPUSH/LINDEX and the day counter per call
        -- (its expiry only when the counter is created).
        now_s = string.format('%d', now())
        local held = redis.call('HMGET', KEYS[5], unpack(popped))
        local done = {}
        for k, id in ipairs(popped) do
          if held[k] then
            redis.call('HSET', prefix .. id, 'state', 'succeeded', 'fin', now_s, 'attempt', '1')
            done[#done + 1] = now_s .. ':' .. id
          end
        end
        redis.call('HDEL', KEYS[5], unpack(popped))
        redis.call('ZREM', KEYS[3], unpack(popped))
        redis.call('RPUSH', KEYS[6], unpack(done))
        redis.call('LINDEX', KEYS[6], 0)
        if redis.call('INCRBY', KEYS[4], #done) == #done then
          redis.call('PEXPIRE', KEYS[4], 8 * 86400000)
        end
        return #done
        """;

    public static async Task<RunResult> RunAsync(BenchContext context)
    {
        // A whole number of pipelines per connection: redis-benchmark sends whole pipelines, so a remainder would run extra calls.
        var calls = Math.Max(1, context.JobsOr(500_000) / BatchSize / (Connections * Pipeline)) * Connections * Pipeline;
        var jobs = calls * BatchSize;
        var sha = (string)(await context.Server.Admin.GetDatabase().ExecuteAsync("SCRIPT", "LOAD", LifecycleScript))!;
        var before = await context.Server.ReadCountersAsync();

        var arguments = $"-h 127.0.0.1 -p {context.Server.Port.ToString(CultureInfo.InvariantCulture)} -n {calls} -c {Connections} -P {Pipeline} -r 100000000 --csv "
            + $"evalsha {sha} 11 {{c}}:job: {{c}}:ready:normal {{c}}:active {{c}}:stats:processed {{c}}:leases {{c}}:succeeded "
            + $"{{c}}:paused {{c}}:scheduled {{c}}:retry {{c}}:ready:critical {{c}}:ready:high {BatchSize} __rand_int__";
        using var benchmark = Process.Start(new ProcessStartInfo("redis-benchmark", arguments) { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("redis-benchmark did not start; install redis-tools.");
        var output = await benchmark.StandardOutput.ReadToEndAsync();
        await benchmark.WaitForExitAsync();
        var after = await context.Server.ReadCountersAsync();

        // CSV: "test","rps",... with one data line.
        var data = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("\"evalsha", StringComparison.OrdinalIgnoreCase));
        var callsPerSecond = double.Parse(data.Split(',')[1].Trim('"'), CultureInfo.InvariantCulture);
        var processed = (long)(await context.Server.Admin.GetDatabase().StringGetAsync("{c}:stats:processed"));
        return new RunResult
        {
            Jobs = jobs,
            Seconds = calls / callsPerSecond,
            Missing = (int)Math.Max(0, jobs - processed),
            Duplicates = (int)Math.Max(0, processed - jobs),
            Redis = after - before,
            ClientCpuSeconds = 0,
            PeakRssBytes = 0,
        };
    }
}

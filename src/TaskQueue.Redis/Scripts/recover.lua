-- Requeues (or dead-letters, when out of retries) jobs of one queue whose lease expired. The attempt was
-- counted at fetch. No lock: the script is atomic, so workers recovering at once cannot recover a job twice, and
-- the scan is one ZRANGEBYSCORE. (A lock held by a worker that then dies would stall recovery until it lapsed.)
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag
-- ARGV[1] job key prefix; ARGV[2] idempotency key prefix; ARGV[3] stats key prefix; ARGV[4] queue name;
-- ARGV[5] work signal channel; ARGV[6] dead-letter max count; ARGV[7] dead-letter max age ms
-- Returns: how many jobs were recovered.
local job_prefix, idem_prefix, stats_prefix, queue, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local now = now_ms()
local expired = redis.call('ZRANGEBYSCORE', KEYS[7], '-inf', now, 'LIMIT', 0, 1000)
local requeued = false
local count = 0
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[7], id)
  local key = job_prefix .. id
  local f = redis.call('HMGET', key, 'attempt', 'maxr', 'prio', 'idem', 'uuf', 'worker')
  if f[1] then
    count = count + 1
    -- The same text as the in-memory store (the contract suite pins it); the worker id stays on the hash.
    local err = 'lease expired'
    redis.call('HDEL', key, 'token', 'started')
    if tonumber(f[1]) > tonumber(f[2]) then
      redis.call('HSET', key, 'state', 'dead', 'err', err, 'fin', now)
      redis.call('ZADD', KEYS[8], now, id)
      release_unique_key(idem_prefix, id, f[4], f[5])
    else
      redis.call('HSET', key, 'state', 'pending', 'err', err)
      redis.call('RPUSH', KEYS[tonumber(f[3]) + 1], id)
      requeued = true
    end
  end
end
if count > 0 then auto_trim_dead(KEYS[8], job_prefix, tonumber(ARGV[6]), tonumber(ARGV[7]), now) end
bump_day_counter(stats_prefix, 'failed', now, count)
if requeued then redis.call('PUBLISH', channel, queue) end
return count

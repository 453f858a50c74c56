-- Requeues (or dead-letters, when out of retries) jobs of one queue whose lease expired. The attempt was
-- counted at fetch. A lock names the store instance doing recovery so other workers skip the scan.
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag;
-- KEYS[10] recovery lock
-- ARGV[1] job key prefix; ARGV[2] idempotency key prefix; ARGV[3] stats key prefix; ARGV[4] queue name;
-- ARGV[5] work signal channel; ARGV[6] lock owner; ARGV[7] lock ms; ARGV[8] dead-letter max count; ARGV[9] dead-letter max age ms
-- Returns: how many jobs were recovered, or -1 when another owner holds the lock.
local job_prefix, idem_prefix, stats_prefix, queue, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local owner = redis.call('GET', KEYS[10])
if owner and owner ~= ARGV[6] then return -1 end
redis.call('SET', KEYS[10], ARGV[6], 'PX', ARGV[7])
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
if count > 0 then auto_trim_dead(KEYS[8], job_prefix, tonumber(ARGV[8]), tonumber(ARGV[9]), now) end
bump_day_counter(stats_prefix, 'failed', now, count)
if requeued then redis.call('PUBLISH', channel, queue) end
return count

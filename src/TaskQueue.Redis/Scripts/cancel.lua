-- Cancels a pending, scheduled, retrying or running job of one queue. A running job (one with a lease) loses its
-- lease, so its completion will be rejected, and its id is published so the worker's handler token fires.
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag;
-- KEYS[10] leases hash; KEYS[11] succeeded list (unused)
-- ARGV[1] job key prefix; ARGV[2] idempotency key prefix; ARGV[3] job id; ARGV[4] cancel channel; ARGV[5] retention ms;
-- ARGV[6] cancelled set (score = when cancelled)
-- Returns: 1 when cancelled, 0 when the job is unknown or already finished.
local job_prefix, idem_prefix, id = ARGV[1], ARGV[2], ARGV[3]
local key = job_prefix .. id
local f = redis.call('HMGET', key, 'state', 'prio', 'idem', 'uuf')
local state = f[1]
local lease = redis.call('HGET', KEYS[10], id)
if lease and state == 'pending' then
  -- Running: the attempt counts (the lease carries it; the hash still has the one before).
  local _, attempt = parse_lease(lease)
  redis.call('HDEL', KEYS[10], id)
  redis.call('ZREM', KEYS[7], id)
  if attempt then redis.call('HSET', key, 'attempt', attempt) end
  redis.call('PUBLISH', ARGV[4], id)
elseif state == 'pending' then
  if PRIORITIES[f[2]] then
    redis.call('LREM', KEYS[tonumber(f[2]) + 1], 1, id)
  else
    -- A malformed priority does not say which list holds it.
    for p = 1, 4 do redis.call('LREM', KEYS[p], 1, id) end
  end
elseif state == 'scheduled' then
  redis.call('ZREM', KEYS[5], id)
elseif state == 'retry' then
  redis.call('ZREM', KEYS[6], id)
else
  return 0
end
local now = now_ms()
redis.call('HSET', key, 'state', 'cancelled', 'fin', int_text(now))
redis.call('HDEL', key, 'due')
redis.call('PEXPIRE', key, ARGV[5])
-- The listing of recently cancelled jobs: entries past the retention go when the next one comes.
redis.call('ZADD', ARGV[6], now, id)
redis.call('ZREMRANGEBYSCORE', ARGV[6], '-inf', now - tonumber(ARGV[5]))
release_unique_key(idem_prefix, id, f[3], f[4])
return 1

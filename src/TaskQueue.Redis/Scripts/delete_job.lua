-- Deletes a job of one queue in any state. A running job loses its lease first (its completion will be rejected)
-- and its id is published so the worker's handler token fires. A succeeded job's entry in the succeeded list stays:
-- the retention clean-up deletes a key that is already gone, and listings skip ids whose hash is gone.
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag;
-- KEYS[10] leases hash; KEYS[11] succeeded list (unused)
-- ARGV[1] job key prefix; ARGV[2] idempotency key prefix; ARGV[3] job id; ARGV[4] cancel channel; ARGV[5] cancelled set
-- Returns: 1 when deleted, 0 when the job is unknown.
local job_prefix, idem_prefix, id = ARGV[1], ARGV[2], ARGV[3]
local key = job_prefix .. id
local f = redis.call('HMGET', key, 'state', 'prio', 'idem', 'uuf')
local state = f[1]
local lease = redis.call('HGET', KEYS[10], id)
if not state and not lease then return 0 end
if lease then
  redis.call('HDEL', KEYS[10], id)
  redis.call('ZREM', KEYS[7], id)
  redis.call('PUBLISH', ARGV[4], id)
elseif state == 'pending' then
  if PRIORITIES[f[2]] then
    redis.call('LREM', KEYS[tonumber(f[2]) + 1], 1, id)
  else
    for p = 1, 4 do redis.call('LREM', KEYS[p], 1, id) end
  end
end
if state == 'scheduled' then redis.call('ZREM', KEYS[5], id)
elseif state == 'retry' then redis.call('ZREM', KEYS[6], id)
elseif state == 'dead' then redis.call('ZREM', KEYS[8], id)
elseif state == 'cancelled' then redis.call('ZREM', ARGV[5], id) end
release_unique_key(idem_prefix, id, f[3], f[4])
redis.call('DEL', key)
return 1

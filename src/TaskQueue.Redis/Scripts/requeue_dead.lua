-- Moves one dead letter of one queue back to ready with a fresh attempt count (the last error is kept; the errors of
-- each attempt, progress and the worker of the last attempt are cleared).
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag
-- ARGV[1] job key prefix; ARGV[2] work signal channel; ARGV[3] queue name; ARGV[4] job id
-- Returns: 1 when requeued, 0 when it is not a dead letter. A dead letter whose priority is missing or unusable
--          stays dead (no ready list to put it in): delete it or trim it.
local job_prefix = ARGV[1]
local ids = { ARGV[4] }
local count = 0
for _, id in ipairs(ids) do
  local key = job_prefix .. id
  local f = redis.call('HMGET', key, 'prio', 'attempt')
  local prio = f[1]
  if PRIORITIES[prio] and redis.call('ZREM', KEYS[8], id) == 1 then
    redis.call('HSET', key, 'state', 'pending', 'attempt', 0)
    redis.call('HDEL', key, 'fin', 'due', 'progress')
    forget_errors(key, f[2])
    redis.call('PERSIST', key)
    redis.call('RPUSH', KEYS[tonumber(prio) + 1], id)
    count = count + 1
  end
end
if count > 0 then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
return count

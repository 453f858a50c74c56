-- Moves dead letters of one queue back to ready with a fresh attempt count (the last error is kept; progress and
-- the worker of the last attempt are cleared).
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag
-- ARGV[1] job key prefix; ARGV[2] work signal channel; ARGV[3] queue name; ARGV[4] job id, or '' for the oldest ARGV[5] dead letters
-- Returns: how many were requeued (the caller repeats '' calls until fewer than ARGV[5]). A dead letter whose
--          priority is missing or unusable stays dead (no ready list to put it in): delete or trim it.
local job_prefix = ARGV[1]
local ids
if ARGV[4] ~= '' then
  ids = { ARGV[4] }
else
  ids = redis.call('ZRANGE', KEYS[8], 0, tonumber(ARGV[5]) - 1)
end
local count = 0
for _, id in ipairs(ids) do
  local key = job_prefix .. id
  local prio = redis.call('HGET', key, 'prio')
  if PRIORITIES[prio] and redis.call('ZREM', KEYS[8], id) == 1 then
    redis.call('HSET', key, 'state', 'pending', 'attempt', 0)
    redis.call('HDEL', key, 'fin', 'due', 'progress')
    redis.call('PERSIST', key)
    redis.call('RPUSH', KEYS[tonumber(prio) + 1], id)
    count = count + 1
  end
end
if count > 0 then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
return count

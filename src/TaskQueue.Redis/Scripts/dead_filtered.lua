-- Requeues or deletes the dead letters of one queue that match a filter, one bounded batch per call, oldest first.
-- The caller repeats with skip = the previous skip + the non-matching ones examined (matching ones leave the set,
-- the others stay in front) until a call examines fewer than the batch.
-- KEYS[1..4] ready lists (critical..low); KEYS[5..7] unused; KEYS[8] dead (the others of StateKeys are unused)
-- ARGV[1] job key prefix; ARGV[2] 'requeue' or 'delete'; ARGV[3] job name ('' = any); ARGV[4] text the last error
-- contains ('' = any); ARGV[5] skip; ARGV[6] batch; ARGV[7] work signal channel; ARGV[8] queue name
-- Returns: { matched, examined }. A matching dead letter without a usable priority is not requeued (and not
-- counted): delete it.
local job_prefix, action, name, text = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local skip, batch = tonumber(ARGV[5]), tonumber(ARGV[6])
local ids = redis.call('ZRANGE', KEYS[8], skip, skip + batch - 1)
local matched = 0
local pushed = false
for _, id in ipairs(ids) do
  local key = job_prefix .. id
  local f = redis.call('HMGET', key, 'name', 'err', 'prio', 'attempt')
  if (name == '' or f[1] == name) and (text == '' or (f[2] and string.find(f[2], text, 1, true))) then
    if action == 'delete' then
      redis.call('ZREM', KEYS[8], id)
      redis.call('DEL', key)
      matched = matched + 1
    elseif PRIORITIES[f[3]] then
      redis.call('ZREM', KEYS[8], id)
      redis.call('HSET', key, 'state', 'pending', 'attempt', 0)
      redis.call('HDEL', key, 'fin', 'due', 'progress')
      forget_errors(key, f[4])
      redis.call('PERSIST', key)
      redis.call('RPUSH', KEYS[tonumber(f[3]) + 1], id)
      matched = matched + 1
      pushed = true
    end
  end
end
if pushed then redis.call('PUBLISH', ARGV[7], ARGV[8]) end
return { matched, #ids }

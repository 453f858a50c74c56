-- Makes a scheduled or retrying job of one queue ready now, at the tail of its priority's list (its attempts kept).
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry (the others of StateKeys are unused)
-- ARGV[1] job key prefix; ARGV[2] job id; ARGV[3] work signal channel; ARGV[4] queue name
-- Returns: 1 when moved, 0 when the job is not scheduled or retrying (or has no usable priority).
local key = ARGV[1] .. ARGV[2]
local f = redis.call('HMGET', key, 'state', 'prio')
local set
if f[1] == 'scheduled' then set = KEYS[5] elseif f[1] == 'retry' then set = KEYS[6] else return 0 end
if not PRIORITIES[f[2]] or redis.call('ZREM', set, ARGV[2]) == 0 then return 0 end
redis.call('HSET', key, 'state', 'pending')
redis.call('HDEL', key, 'due')
if redis.call('RPUSH', KEYS[tonumber(f[2]) + 1], ARGV[2]) == 1 then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
return 1

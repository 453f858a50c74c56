-- Pauses, resumes or deletes one recurring schedule of a queue.
-- KEYS[1] the schedule hash; KEYS[2] the queue's schedule due set
-- ARGV[1] 'pause', 'resume' or 'delete'; ARGV[2] schedule name; ARGV[3] next due ms (resume)
-- Returns: 1 done, 0 when the schedule does not exist (or, for resume, is not paused).
local key, due_key, op, name = KEYS[1], KEYS[2], ARGV[1], ARGV[2]
if redis.call('EXISTS', key) == 0 then return 0 end
if op == 'delete' then
  redis.call('DEL', key)
  redis.call('ZREM', due_key, name)
elseif op == 'pause' then
  redis.call('HSET', key, 'paused', '1')
  redis.call('ZREM', due_key, name)
else
  if redis.call('HGET', key, 'paused') ~= '1' then return 0 end
  redis.call('HDEL', key, 'paused')
  redis.call('HSET', key, 'next', ARGV[3])
  redis.call('ZADD', due_key, ARGV[3], name)
end
return 1

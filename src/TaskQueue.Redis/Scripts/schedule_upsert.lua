-- Creates or replaces one recurring schedule of a queue.
-- KEYS[1] the schedule hash; KEYS[2] the queue's schedule due set (score = next due ms)
-- ARGV[1] schedule name; ARGV[2] next due ms for a new schedule or a changed cron/time zone;
-- ARGV[3..] definition field/value pairs (cron and tz first; an empty value deletes the field).
-- Keeps next due and the last occurrence when cron and time zone are unchanged (re-registering a declared schedule
-- at start-up changes nothing, and misfires stay visible); a paused schedule stays paused (out of the due set).
-- Returns: the schedule hash as a flat field/value list.
local key, due_key, name = KEYS[1], KEYS[2], ARGV[1]
local old = redis.call('HMGET', key, 'cron', 'tz', 'next', 'paused')
local keep = old[1] == ARGV[4] and old[2] == ARGV[6] and old[3]
local set, del = {}, {}
for i = 3, #ARGV, 2 do
  if ARGV[i + 1] == '' then
    del[#del + 1] = ARGV[i]
  else
    set[#set + 1] = ARGV[i]; set[#set + 1] = ARGV[i + 1]
  end
end
if #del > 0 then redis.call('HDEL', key, unpack(del)) end
if not keep then
  set[#set + 1] = 'next'; set[#set + 1] = ARGV[2]
end
redis.call('HSET', key, unpack(set))
if old[4] ~= '1' then
  redis.call('ZADD', due_key, keep and old[3] or ARGV[2], name)
end
return redis.call('HGETALL', key)

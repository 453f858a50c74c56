-- One compare-and-set step of a recurring schedule: when its stored next due instant is still the one the scheduler
-- read (ARGV[5]) and is due by the server's clock, enqueue the occurrences (ids derived from schedule name + due
-- instant, so a job is never stored twice) and move next due to ARGV[6], atomically. Every scheduler may try; one wins.
-- Occurrence jobs are written with exactly the fields enqueue.lua writes for a ready job without options
-- (name payload prio attempt maxr enq state, plus timeout when set), pushed to their ready list, and signalled like it.
-- KEYS[1..4] ready lists (critical, high, normal, low); KEYS[5] the schedule hash; KEYS[6] the queue's schedule due set
-- ARGV[1] job key prefix; ARGV[2] queue name; ARGV[3] work signal channel; ARGV[4] schedule name;
-- ARGV[5] expected next due ms; ARGV[6] new next due ms; ARGV[7] skipped count; ARGV[8] clock override ms or '';
-- ARGV[9..] pairs: occurrence job id, due ms
-- Returns: 0 advanced (occurrences enqueued), 1 advanced but the occurrences skipped (the previous one has not
--          finished, overlap policy), 2 conflict (changed by another scheduler, paused, deleted or not due): nothing done.
local job_prefix, queue, channel, name = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local expected, next_due = ARGV[5], ARGV[6]
local now = ARGV[8] ~= '' and tonumber(ARGV[8]) or now_ms()
local s = redis.call('HMGET', KEYS[5], 'next', 'paused', 'job', 'payload', 'prio', 'maxr', 'timeout', 'overlap', 'last_id')
if s[1] ~= expected or s[2] == '1' or tonumber(expected) > now or tonumber(next_due) <= tonumber(expected) then
  return 2
end
local state = { 'next', next_due }
if #ARGV >= 10 then
  state[#state + 1] = 'last_due'; state[#state + 1] = ARGV[#ARGV]
end
redis.call('ZADD', KEYS[6], next_due, name)
if ARGV[7] ~= '0' then redis.call('HINCRBY', KEYS[5], 'skipped', ARGV[7]) end

-- Overlap: skip while the previous occurrence waits, retries or runs (a running job keeps 'pending').
if s[8] == '1' and s[9] and #ARGV >= 10 then
  local last = redis.call('HGET', job_prefix .. s[9], 'state')
  if last == 'pending' or last == 'scheduled' or last == 'retry' then
    redis.call('HSET', KEYS[5], unpack(state))
    redis.call('HINCRBY', KEYS[5], 'skipped', (#ARGV - 8) / 2)
    return 1
  end
end

local prio = s[5]
local list = KEYS[tonumber(prio) + 1]
local now_s = int_text(now)
local ids = {}
for i = 9, #ARGV, 2 do
  local id = ARGV[i]
  local key = job_prefix .. id
  if redis.call('EXISTS', key) == 0 then
    local fields = { 'name', s[3], 'payload', s[4], 'prio', prio, 'attempt', '0', 'maxr', s[6], 'enq', now_s }
    if s[7] and s[7] ~= '' then fields[#fields + 1] = 'timeout'; fields[#fields + 1] = s[7] end
    fields[#fields + 1] = 'state'; fields[#fields + 1] = 'pending'
    redis.call('HSET', key, unpack(fields))
    ids[#ids + 1] = id
  end
  state[#state + 1] = 'last_id'; state[#state + 1] = id
end
redis.call('HSET', KEYS[5], unpack(state))
if #ids > 0 and redis.call('RPUSH', list, unpack(ids)) == #ids then
  redis.call('PUBLISH', channel, queue)
end
return 0

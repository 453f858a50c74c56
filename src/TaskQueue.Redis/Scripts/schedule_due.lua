-- Reads, in one call, the server's clock, up to ARGV[2] due schedules of a queue and the next due instant.
-- Idle (nothing due) it costs TIME and one ZRANGE, whatever the number of schedules.
-- KEYS[1] the queue's schedule due set (score = next due ms)
-- ARGV[1] schedule hash prefix (the name is appended); ARGV[2] max schedules; ARGV[3] clock override ms or ''
-- Returns: { now ms, next due ms after now or '', name1, hash1 (flat list), name2, hash2, ... }
local due_key, prefix, max = KEYS[1], ARGV[1], tonumber(ARGV[2])
local now = ARGV[3] ~= '' and tonumber(ARGV[3]) or now_ms()
local head = redis.call('ZRANGE', due_key, 0, 0, 'WITHSCORES')
if not head[2] then return { now, '' } end
if tonumber(head[2]) > now then return { now, head[2] } end
local out = { now, '' }
local names = redis.call('ZRANGEBYSCORE', due_key, '-inf', now, 'LIMIT', 0, max)
for _, name in ipairs(names) do
  local hash = redis.call('HGETALL', prefix .. name)
  if #hash == 0 then
    -- A due-set entry whose schedule hash is gone (deleted by hand): drop it rather than read it every second.
    redis.call('ZREM', due_key, name)
  else
    out[#out + 1] = name
    out[#out + 1] = hash
  end
end
local after = redis.call('ZRANGEBYSCORE', due_key, '(' .. now, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
if after[2] then out[2] = after[2] end
return out

-- Deletes dead letters of one queue at least a maximum age old, then the oldest beyond a maximum count.
-- KEYS[1] dead set
-- ARGV[1] job key prefix; ARGV[2] max count; ARGV[3] max age ms
-- Returns: how many were deleted.
local job_prefix = ARGV[1]
local function delete(ids)
  for _, id in ipairs(ids) do
    redis.call('ZREM', KEYS[1], id)
    redis.call('DEL', job_prefix .. id)
  end
  return #ids
end
local count = delete(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now_ms() - tonumber(ARGV[3])))
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
if excess > 0 then
  count = count + delete(redis.call('ZRANGE', KEYS[1], 0, excess - 1))
end
return count

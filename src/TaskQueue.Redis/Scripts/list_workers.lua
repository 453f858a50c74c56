-- Removes stale worker entries and lists the live ones.
-- KEYS[1] workers set (score = expiry ms)
-- ARGV[1] worker hash key prefix
-- Returns: 8 values per live worker: id, host, process id, queues, concurrency, started ms, last seen ms, jobs running.
local now = now_ms()
local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
for _, id in ipairs(stale) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('DEL', ARGV[1] .. id)
end
local out = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local f = redis.call('HMGET', ARGV[1] .. id, 'host', 'pid', 'queues', 'conc', 'started', 'seen', 'running')
  if f[1] then
    out[#out + 1] = id
    for k = 1, 7 do out[#out + 1] = f[k] or '' end
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out

-- Read-only: the counts of one queue.
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag
-- ARGV[1] stats key prefix
-- Returns: { pending, scheduled, retrying, active, dead, processed today, failed today, 1 when paused else 0,
--          deferred today }.
local pending = 0
for p = 1, 4 do pending = pending + redis.call('LLEN', KEYS[p]) end
local day = math.floor(now_ms() / 86400000)
return {
  pending,
  redis.call('ZCARD', KEYS[5]),
  redis.call('ZCARD', KEYS[6]),
  redis.call('ZCARD', KEYS[7]),
  redis.call('ZCARD', KEYS[8]),
  tonumber(redis.call('GET', ARGV[1] .. 'processed:' .. day) or '0'),
  tonumber(redis.call('GET', ARGV[1] .. 'failed:' .. day) or '0'),
  redis.call('EXISTS', KEYS[9]),
  tonumber(redis.call('GET', ARGV[1] .. 'deferred:' .. day) or '0'),
}

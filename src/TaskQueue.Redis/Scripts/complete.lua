-- Records a batch of finished attempts of one queue.
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag
-- ARGV[1] job key prefix; ARGV[2] idempotency key prefix; ARGV[3] stats key prefix; ARGV[4] queue name;
-- ARGV[5] work signal channel; ARGV[6] retention ms of succeeded jobs; ARGV[7] dead-letter max count; ARGV[8] dead-letter max age ms
-- ARGV[9..] 3 or 4 values per completion: id, lease token, code, then the data only when the code says so.
--           code = kind (0 succeeded, 1 retry, 2 dead letter, 3 release) + 4 when data follows + 8 * retry delay ms;
--           data = the result (succeeded) or the error (retry, dead letter). One number instead of three values
--           keeps a no-result success at 3 values.
-- Returns: the 1-based positions of completions rejected because their lease token is not current.
local job_prefix, idem_prefix, stats_prefix, queue, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local retention = tonumber(ARGV[6])
local now = now_ms()
local rejected = {}
local signal = false
local pos = 0
local processed, failed = 0, 0
local i = 9
while i <= #ARGV do
  pos = pos + 1
  local id, token, code = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local kind = code % 4
  local delay = math.floor(code / 8)
  local data = ''
  if math.floor(code / 4) % 2 == 1 then
    data = ARGV[i + 3]
    i = i + 4
  else
    i = i + 3
  end
  local key = job_prefix .. id
  local f = redis.call('HMGET', key, 'state', 'token', 'prio', 'idem', 'uuf')
  if f[1] ~= 'active' or f[2] ~= token then
    rejected[#rejected + 1] = pos
  else
    redis.call('ZREM', KEYS[7], id)
    redis.call('HDEL', key, 'token', 'worker', 'started')
    if kind == 0 then
      redis.call('HSET', key, 'state', 'succeeded', 'fin', now)
      if data ~= '' then redis.call('HSET', key, 'result', data) end
      redis.call('PEXPIRE', key, retention)
      processed = processed + 1
      release_unique_key(idem_prefix, id, f[4], f[5])
    elseif kind == 1 then
      local due = now + delay
      redis.call('HSET', key, 'state', 'retry', 'err', data, 'due', due)
      if schedule_at(KEYS[6], id, due) then signal = true end
      failed = failed + 1
    elseif kind == 2 then
      redis.call('HSET', key, 'state', 'dead', 'err', data, 'fin', now)
      redis.call('ZADD', KEYS[8], now, id)
      failed = failed + 1
      release_unique_key(idem_prefix, id, f[4], f[5])
    else
      -- Release (shutdown): back to the front of its list, this attempt not counted.
      redis.call('HINCRBY', key, 'attempt', -1)
      redis.call('HSET', key, 'state', 'pending')
      redis.call('LPUSH', KEYS[tonumber(f[3]) + 1], id)
      signal = true
    end
  end
end
if failed > 0 then auto_trim_dead(KEYS[8], job_prefix, tonumber(ARGV[7]), tonumber(ARGV[8]), now) end
bump_day_counter(stats_prefix, 'processed', now, processed)
bump_day_counter(stats_prefix, 'failed', now, failed)
if signal then redis.call('PUBLISH', channel, queue) end
return rejected

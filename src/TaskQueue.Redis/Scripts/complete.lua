-- Records a batch of finished attempts of one queue, or (recovery) the decisions for expired leases.
-- Cost per call: one HMGET of the leases of every completion (the token check), one HDEL of the accepted leases,
-- one ZREM from the active set, one RPUSH of the succeeded ones to the succeeded list (and LINDEX to see whether
-- any succeeded job's retention passed), one ZADD per retry/scheduled/dead-letter set touched; per job one HSET
-- (state, fin, attempt = the lease's attempt, result/error/due). Retries, deferrals, releases and unique keys add
-- per-job commands (rare); so does recovery (one ZSCORE per job).
-- A completion is rejected, changing nothing, when its job has no lease or the lease's token differs: a late
-- completion after recovery or cancel, a duplicate, or one from a foreign worker. With ARGV[9] = '1' (recovery)
-- it is also rejected when the lease is no longer expired: its worker extended it after recover.lua listed it.
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag;
-- KEYS[10] leases hash; KEYS[11] succeeded list
-- ARGV[1] job key prefix; ARGV[2] idempotency key prefix; ARGV[3] stats key prefix; ARGV[4] queue name;
-- ARGV[5] work signal channel; ARGV[6] retention ms of succeeded jobs; ARGV[7] dead-letter max count; ARGV[8] dead-letter max age ms;
-- ARGV[9] '1' to apply only to leases that are still expired (recovery), else '0'
-- ARGV[10..] 3 or 4 values per completion: id, lease token, code, then the data only when the code says so.
--           code = kind (0 succeeded, 1 retry, 2 dead letter, 3 release, 4 defer) + 8 when data follows
--           + 16 * retry delay ms; data = the result (succeeded) or the error (retry, dead letter, defer). One number
--           instead of three values keeps a no-result success at 3 values.
-- Returns: the 1-based positions of completions rejected because their lease token is not current (or, in
--          recovery, the lease is no longer expired).
local job_prefix, idem_prefix, stats_prefix, queue, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local now = now_ms()
local now_s = int_text(now)

-- Where each completion starts in ARGV, and the ids for one HMGET of their leases.
local starts = {}
local ids = {}
local recovering = ARGV[9] == '1'
local i = 10
while i <= #ARGV do
  starts[#starts + 1] = i
  ids[#ids + 1] = ARGV[i]
  -- The code's bit 8 says whether data follows: codes 0 to 7 (no data, no delay) are the common case.
  local code = ARGV[i + 2]
  if #code > 1 or code >= '8' then
    i = i + ((math.floor(tonumber(code) / 8) % 2 == 1) and 4 or 3)
  else
    i = i + 3
  end
end

-- A missing lease comes back as false (not nil), so positions line up with 'starts'.
local leases = {}
for k = 1, #ids, MAX_UNPACK do
  local part = redis.call('HMGET', KEYS[10], unpack(ids, k, math.min(#ids, k + MAX_UNPACK - 1)))
  for _, v in ipairs(part) do leases[#leases + 1] = v end
end

local rejected = {}
local accepted = {}
local done = {}
local succeeded = {}
local retries = {}
local deferred = {}
local dead = {}
local signal = false
local processed, failed = 0, 0
for pos, a in ipairs(starts) do
  local id = ids[pos]
  local lease = leases[pos]
  local token, attempt, has_idem
  if lease then token, attempt, has_idem = lease_head(lease) end
  if not lease or token ~= ARGV[a + 1] or done[id]
    or (recovering and tonumber(redis.call('ZSCORE', KEYS[7], id) or now + 1) > now) then
    -- (done: the same lease twice in one batch counts once, as in two batches.)
    rejected[#rejected + 1] = pos
  else
    local key = job_prefix .. id
    accepted[#accepted + 1] = id
    done[id] = true
    local code = ARGV[a + 2]
    local kind, data = 0, ''
    if code ~= '0' then
      local c = tonumber(code)
      kind = c % 8
      if math.floor(c / 8) % 2 == 1 then data = ARGV[a + 3] end
    end
    local uuf_idem = ''
    if has_idem then
      local _
      _, _, _, _, uuf_idem = parse_lease(lease)
    end
    if kind == 0 then
      if data ~= '' then
        redis.call('HSET', key, 'state', 'succeeded', 'fin', now_s, 'attempt', attempt, 'result', data)
      else
        redis.call('HSET', key, 'state', 'succeeded', 'fin', now_s, 'attempt', attempt)
      end
      succeeded[#succeeded + 1] = now_s .. ':' .. id
      processed = processed + 1
      release_unique_key(idem_prefix, id, uuf_idem, '1')
    elseif kind == 1 then
      local due_s = int_text(now + math.floor(tonumber(code) / 16))
      redis.call('HSET', key, 'state', 'retry', 'err', data, 'due', due_s, 'attempt', attempt, 'e:' .. attempt, now_s .. '|' .. data)
      keep_errors(key, attempt)
      redis.call('HDEL', key, 'progress')
      retries[#retries + 1] = due_s
      retries[#retries + 1] = id
      failed = failed + 1
    elseif kind == 2 then
      redis.call('HSET', key, 'state', 'dead', 'err', data, 'fin', now_s, 'attempt', attempt, 'e:' .. attempt, now_s .. '|' .. data)
      keep_errors(key, attempt)
      dead[#dead + 1] = now_s
      dead[#dead + 1] = id
      failed = failed + 1
      release_unique_key(idem_prefix, id, uuf_idem, '1')
    elseif kind == 4 then
      -- Defer (no handler for the name): scheduled again, this attempt not counted (the hash never had it).
      local due_s = int_text(now + math.floor(tonumber(code) / 16))
      redis.call('HSET', key, 'state', 'scheduled', 'err', data, 'due', due_s)
      redis.call('HINCRBY', key, 'defer', 1)
      redis.call('HDEL', key, 'progress')
      deferred[#deferred + 1] = due_s
      deferred[#deferred + 1] = id
    else
      -- Release (shutdown): back to the front of its list, this attempt not counted (the hash never had it).
      local _, _, prio = parse_lease(lease)
      redis.call('HDEL', key, 'progress')
      redis.call('LPUSH', KEYS[tonumber(prio) + 1], id)
      signal = true
    end
  end
end

if #accepted > 0 then
  call_batched('HDEL', KEYS[10], accepted, 1)
  call_batched('ZREM', KEYS[7], accepted, 1)
end
if #succeeded > 0 then call_batched('RPUSH', KEYS[11], succeeded, 1) end
-- Succeeded jobs are deleted here and by recover.lua once their retention passed (no per-job PEXPIRE).
trim_succeeded(KEYS[11], job_prefix, tonumber(ARGV[6]), now, 1)
-- Adds due/id pairs to a due-time set; true when one became the earliest (waiters must re-arm their timers).
local function schedule_all(zkey, items)
  local head = redis.call('ZRANGE', zkey, 0, 0, 'WITHSCORES')
  call_batched('ZADD', zkey, items, 2)
  for k = 1, #items, 2 do
    if not head[2] or tonumber(items[k]) < tonumber(head[2]) then return true end
  end
  return false
end
if #retries > 0 and schedule_all(KEYS[6], retries) then signal = true end
if #deferred > 0 and schedule_all(KEYS[5], deferred) then signal = true end
if #dead > 0 then
  call_batched('ZADD', KEYS[8], dead, 2)
  auto_trim_dead(KEYS[8], job_prefix, tonumber(ARGV[7]), tonumber(ARGV[8]), now)
end
bump_day_counter(stats_prefix, 'processed', now, processed)
bump_day_counter(stats_prefix, 'failed', now, failed)
bump_day_counter(stats_prefix, 'deferred', now, #deferred / 2)
if signal then redis.call('PUBLISH', channel, queue) end
return rejected

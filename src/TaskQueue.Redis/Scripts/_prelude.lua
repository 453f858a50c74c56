-- Shared helpers, prepended to every script by RedisScripts.cs (not a script on its own).
-- Job hash fields: name payload prio attempt maxr timeout enq due fin state err progress result idem uuf trace defer,
-- and e:N (the error of attempt N, see keep_errors).
-- States on the hash: pending scheduled retry succeeded dead cancelled. A running job has no state of its own: it
-- keeps 'pending' and has an entry in the queue's leases hash, which is what makes it active (see lease_value).

-- The server's clock in milliseconds: worker clocks never matter.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- A whole number as decimal text. Lua's own number-to-text conversion (concatenating a number, tostring, or a number
-- given to redis.call) formats a double with '%.14g' (glibc's slow floating-point printf, ~0.4 us); '%d' costs a
-- third of that. Each script converts the current time once and reuses the string.
local function int_text(n)
  return string.format('%d', n)
end

-- Redis's Lua refuses to unpack more than ~8000 values; larger variadic calls are split into whole groups of
-- 'step' values (2 for field/value or score/member pairs). Returns the last call's reply (nil when 'items' is empty).
local MAX_UNPACK = 4000
local function call_batched(cmd, key, items, step)
  local reply = nil
  local n = #items
  local i = 1
  while i <= n do
    local j = math.min(n, i + MAX_UNPACK - 1)
    j = j - ((j - i + 1) % step)
    if key then
      reply = redis.call(cmd, key, unpack(items, i, j))
    else
      reply = redis.call(cmd, unpack(items, i, j))
    end
    i = j + 1
  end
  return reply
end

-- A lease (a value of the per-queue leases hash, field = job id): 'token|attempt|prio|started|ilen|' then the
-- idempotency key (ilen bytes; only for a job unique until finished, else ilen = 0) and the worker id. Token, attempt,
-- prio and started never contain '|'; the key and the worker id may contain anything.
local function lease_value(token, attempt, prio, started, uuf_idem, worker)
  if uuf_idem == '' then
    return token .. '|' .. attempt .. '|' .. prio .. '|' .. started .. '|0|' .. worker
  end
  return token .. '|' .. attempt .. '|' .. prio .. '|' .. started .. '|' .. int_text(#uuf_idem) .. '|' .. uuf_idem .. worker
end

-- The parts of a lease value: token, attempt, prio, started, uuf idempotency key ('' when none), worker; nil when
-- the value is not a lease.
local function parse_lease(value)
  local token, attempt, prio, started, ilen, rest = string.match(value, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|(%d+)|(.*)$')
  if not token then return nil end
  local n = tonumber(ilen)
  return token, attempt, prio, started, string.sub(rest, 1, n), string.sub(rest, n + 1)
end

-- What a completion needs of a lease in the common case: token, attempt, and whether it holds an idempotency key.
local function lease_head(value)
  local token, attempt, ilen = string.match(value, '^([^|]*)|([^|]*)|[^|]*|[^|]*|(%d+)|')
  return token, attempt, ilen ~= '0'
end

-- The token of a lease value (cheaper than parse_lease when only the token is checked).
local function lease_token(value)
  return string.match(value, '^[^|]*')
end

-- Adds to a per-day counter (day = whole UTC days since the epoch), kept for a month (daily totals for charts). The expiry is set when the
-- counter is created (INCRBY returned 'by'), not on every call.
local function bump_day_counter(stats_prefix, what, now, by)
  if by > 0 then
    local key = stats_prefix .. what .. ':' .. math.floor(now / 86400000)
    if redis.call('INCRBY', key, by) == by then
      redis.call('PEXPIRE', key, 31 * 86400000)
    end
  end
end

-- Frees a "unique until finished" idempotency key when the job holding it ends (uuf = '1' and idem set).
local function release_unique_key(idem_prefix, id, idem, uuf)
  if uuf == '1' and idem and idem ~= '' then
    local key = idem_prefix .. idem
    if redis.call('GET', key) == id then
      redis.call('DEL', key)
    end
  end
end

-- Adds a job to a due-time set; true when it became the earliest (waiters must re-arm their timers).
local function schedule_at(zkey, id, due)
  redis.call('ZADD', zkey, due, id)
  local head = redis.call('ZRANGE', zkey, 0, 0)
  return head[1] == id
end

-- Keeps the dead letters within a count and an age as they arrive, deleting at most 100 oldest per call
-- (TrimDeadLettersAsync does any larger clean-up). Returns how many were deleted.
local function auto_trim_dead(dead_key, job_prefix, max_count, max_age_ms, now)
  local doomed = redis.call('ZRANGEBYSCORE', dead_key, '-inf', now - max_age_ms, 'LIMIT', 0, 100)
  local excess = redis.call('ZCARD', dead_key) - #doomed - max_count
  if excess > 0 and #doomed < 100 then
    local oldest = redis.call('ZRANGE', dead_key, #doomed, #doomed + math.min(excess, 100 - #doomed) - 1)
    for _, id in ipairs(oldest) do doomed[#doomed + 1] = id end
  end
  if #doomed > 0 then
    local keys = {}
    for k, id in ipairs(doomed) do keys[k] = job_prefix .. id end
    redis.call('ZREM', dead_key, unpack(doomed))
    redis.call('DEL', unpack(keys))
  end
  return #doomed
end

-- Deletes succeeded jobs whose retention has passed. The succeeded list holds 'fin ms:id' in finishing order
-- (scripts run one at a time on the server's clock), so the expired ones are a prefix: each round reads at most
-- 200 entries, deletes the expired jobs with one DEL and drops their entries with one LTRIM. The head is checked
-- with LINDEX first, so a call with nothing expired costs one command. Returns how many were deleted.
local function trim_succeeded(list_key, job_prefix, retention, now, rounds)
  local cutoff = now - retention
  local deleted = 0
  for _ = 1, rounds do
    local head = redis.call('LINDEX', list_key, 0)
    if not head or tonumber(string.match(head, '^%d+')) > cutoff then break end
    local entries = redis.call('LRANGE', list_key, 0, 199)
    local keys = {}
    for _, entry in ipairs(entries) do
      local fin, id = string.match(entry, '^(%d+):(.*)$')
      if tonumber(fin) > cutoff then break end
      keys[#keys + 1] = job_prefix .. id
    end
    redis.call('DEL', unpack(keys))
    redis.call('LTRIM', list_key, #keys, -1)
    deleted = deleted + #keys
    if #keys < #entries then break end
  end
  return deleted
end

-- A job keeps the errors of its last MAX_ERRORS failed attempts in its hash, as fields 'e:N' = 'ms|error' (N = the
-- attempt), beside 'err' (the last error). Completions write e:N in the same HSET as the state; this drops the one
-- that fell out of the window.
local MAX_ERRORS = 10
local function keep_errors(key, attempt)
  local a = tonumber(attempt)
  if a and a > MAX_ERRORS then redis.call('HDEL', key, 'e:' .. int_text(a - MAX_ERRORS)) end
end

-- Deletes the kept errors of a job whose attempts start again from 0 (a requeued dead letter).
local function forget_errors(key, attempt)
  local a = tonumber(attempt)
  if not a or a < 1 then return end
  local fields = {}
  for n = math.max(1, a - MAX_ERRORS + 1), math.min(a, 100000) do fields[#fields + 1] = 'e:' .. int_text(n) end
  if #fields > 0 then redis.call('HDEL', key, unpack(fields)) end
end

-- Stored priorities (the ready list is KEYS[prio + 1]); anything else would address another key.
local PRIORITIES = { ['0'] = true, ['1'] = true, ['2'] = true, ['3'] = true }

-- A whole number 0..2^31-1 as text (attempt, max retries, deferrals: ints on the client).
local function is_count(s)
  return s and #s <= 10 and string.find(s, '^%d+$') ~= nil and tonumber(s) <= 2147483647
end

-- The error a malformed job is dead-lettered with: the field and its stored value, so an operator can fix the writer.
local function bad_field(field, value)
  if not value then return "stored field '" .. field .. "' is missing" end
  return "stored field '" .. field .. "' has the invalid value '" .. value .. "'"
end

-- Moves a job whose stored data no script can use to the dead letters, on its own: its hash gets state 'dead', the
-- error and 'fin' (a missing hash gets just these, so the id stays visible), it joins the dead set, and a unique
-- until finished key it holds is freed. Callers have already taken it out of every other list or set.
local function dead_letter_malformed(dead_key, job_prefix, idem_prefix, id, err, now_s)
  local key = job_prefix .. id
  local idem = redis.call('HMGET', key, 'idem', 'uuf')
  redis.call('HSET', key, 'state', 'dead', 'err', err, 'fin', now_s)
  redis.call('PERSIST', key)
  redis.call('ZADD', dead_key, now_s, id)
  release_unique_key(idem_prefix, id, idem[1], idem[2])
end

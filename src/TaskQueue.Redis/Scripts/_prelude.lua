-- Shared helpers, prepended to every script by RedisScripts.cs (not a script on its own).
-- Job hash fields: name payload prio attempt maxr timeout enq due fin state token worker started err progress result idem uuf trace.
-- States: pending scheduled retry active succeeded dead cancelled.

-- The server's clock in milliseconds: worker clocks never matter.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Adds to a per-day counter (day = whole UTC days since the epoch), kept for a week.
local function bump_day_counter(stats_prefix, what, now, by)
  if by > 0 then
    local key = stats_prefix .. what .. ':' .. math.floor(now / 86400000)
    redis.call('INCRBY', key, by)
    redis.call('PEXPIRE', key, 8 * 86400000)
  end
end

-- Frees a "unique until finished" idempotency key when the job holding it ends.
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
  for _, id in ipairs(doomed) do
    redis.call('ZREM', dead_key, id)
    redis.call('DEL', job_prefix .. id)
  end
  return #doomed
end

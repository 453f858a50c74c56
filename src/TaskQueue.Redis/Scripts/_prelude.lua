-- Shared helpers, prepended to every script by RedisScripts.cs (not a script on its own).
-- Job hash fields: name payload prio attempt maxr timeout enq due fin state token worker started err progress result idem uuf trace.
-- States: pending scheduled retry active succeeded dead cancelled.

-- The server's clock in milliseconds: worker clocks never matter.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Per-day counter key (day = whole UTC days since the epoch), kept for a week.
local function bump_day_counter(stats_prefix, what, now)
  local key = stats_prefix .. what .. ':' .. math.floor(now / 86400000)
  redis.call('INCR', key)
  redis.call('PEXPIRE', key, 8 * 86400000)
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

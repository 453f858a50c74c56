-- Read-only: one page of a queue's job ids in one state, in the order that state is worked through, and the state's
-- total. Costs O(page) plus O(log n) for the sorted sets: nothing walks the whole state.
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead;
-- KEYS[9] paused flag (unused); KEYS[10] leases hash (unused); KEYS[11] succeeded list
-- ARGV[1] state: pending scheduled running retrying dead succeeded cancelled; ARGV[2] offset; ARGV[3] count;
-- ARGV[4] cancelled set
-- Returns: { total, id, id, ... }.
local state, offset, count = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local out = { 0 }
if state == 'pending' then
  -- Highest priority first, FIFO within one: the order workers fetch them.
  local lens = {}
  for p = 1, 4 do
    lens[p] = redis.call('LLEN', KEYS[p])
    out[1] = out[1] + lens[p]
  end
  local skip, need = offset, count
  for p = 1, 4 do
    if need <= 0 then break end
    if skip >= lens[p] then
      skip = skip - lens[p]
    else
      local ids = redis.call('LRANGE', KEYS[p], skip, skip + need - 1)
      for _, id in ipairs(ids) do out[#out + 1] = id end
      need = need - #ids
      skip = 0
    end
  end
elseif state == 'succeeded' then
  -- 'fin ms:id' entries, oldest first: read from the tail for most recent first.
  local n = redis.call('LLEN', KEYS[11])
  out[1] = n
  local last = n - 1 - offset
  if last >= 0 then
    local entries = redis.call('LRANGE', KEYS[11], math.max(0, last - count + 1), last)
    for k = #entries, 1, -1 do
      out[#out + 1] = string.match(entries[k], '^%d+:(.*)$') or entries[k]
    end
  end
else
  local set, newest_first
  if state == 'scheduled' then set = KEYS[5]
  elseif state == 'retrying' then set = KEYS[6]
  elseif state == 'running' then set = KEYS[7]
  elseif state == 'dead' then set = KEYS[8]; newest_first = true
  elseif state == 'cancelled' then set = ARGV[4]; newest_first = true
  else return redis.error_reply('unknown state ' .. state) end
  out[1] = redis.call('ZCARD', set)
  local ids
  if newest_first then
    ids = redis.call('ZRANGE', set, offset, offset + count - 1, 'REV')
  else
    ids = redis.call('ZRANGE', set, offset, offset + count - 1)
  end
  for _, id in ipairs(ids) do out[#out + 1] = id end
end
return out

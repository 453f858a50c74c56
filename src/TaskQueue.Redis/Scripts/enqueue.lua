-- Enqueues one or many jobs of one queue (bulk enqueue sends a whole batch in one call).
-- Cost per call, not per job where it can be: one EXISTS over every job key of the call (a taken id is rare: only
-- when it finds one are the jobs checked one by one), one HSET per job, one RPUSH per priority with the ids in
-- input order, one ZADD for the delayed ones. Idempotency keys cost a GET (and SET) per keyed job.
-- KEYS[1..4] ready lists (critical, high, normal, low); KEYS[5] scheduled set (the others of StateKeys are unused)
-- ARGV[1] job key prefix; ARGV[2] idempotency key prefix; ARGV[3] queue name; ARGV[4] work signal channel
-- ARGV[5..] per job: id, name, payload, priority (0-3), max retries, option flags, then the options the flags name,
--           in this order: timeout ms (1), run-at ms absolute (2), delay ms (4), idempotency key and its ttl ms (8),
--           traceparent (32); flag 16 = unique until finished (with 8). Flags '0' (the common case) = no options:
--           six values per job instead of twelve, each of which Redis parses and Lua interns.
-- Returns: 2 values per job, in input order: the job id (the first job's id when the idempotency key
--          or the id is taken) and 1 when created, 0 when not.
local job_prefix, idem_prefix, queue, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = now_ms()
local now_s = int_text(now)
local out = {}

-- Where each job starts in ARGV, and its key.
local starts = {}
local keys = {}
local i = 5
while i <= #ARGV do
  starts[#starts + 1] = i
  keys[#keys + 1] = job_prefix .. ARGV[i]
  local flags = ARGV[i + 5]
  i = i + 6
  if flags ~= '0' then
    local fl = tonumber(flags)
    if bit.band(fl, 1) ~= 0 then i = i + 1 end
    if bit.band(fl, 2) ~= 0 then i = i + 1 end
    if bit.band(fl, 4) ~= 0 then i = i + 1 end
    if bit.band(fl, 8) ~= 0 then i = i + 2 end
    if bit.band(fl, 32) ~= 0 then i = i + 1 end
  end
end

-- Ids already stored: none in the common case, found with one EXISTS for the whole call.
local check_each = false
for k = 1, #keys, MAX_UNPACK do
  if redis.call('EXISTS', unpack(keys, k, math.min(#keys, k + MAX_UNPACK - 1))) ~= 0 then check_each = true end
end
-- Ids created by this call (the same id twice in one call creates it once, like two calls would).
local created = {}

local ready = { {}, {}, {}, {} }
local delayed = {}
local earliest = nil
for k, a in ipairs(starts) do
  local id, name, payload, prio, maxr, flags = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
  local timeout, run_at, delay, idem, idem_ttl, uuf, trace = '', '', '', '', '', '', ''
  if flags ~= '0' then
    local fl = tonumber(flags)
    local o = a + 6
    if bit.band(fl, 1) ~= 0 then timeout = ARGV[o]; o = o + 1 end
    if bit.band(fl, 2) ~= 0 then run_at = ARGV[o]; o = o + 1 end
    if bit.band(fl, 4) ~= 0 then delay = ARGV[o]; o = o + 1 end
    if bit.band(fl, 8) ~= 0 then idem = ARGV[o]; idem_ttl = ARGV[o + 1]; o = o + 2 end
    if bit.band(fl, 16) ~= 0 then uuf = '1' end
    if bit.band(fl, 32) ~= 0 then trace = ARGV[o] end
  end
  local key = keys[k]
  local holder = nil
  if idem ~= '' then
    holder = redis.call('GET', idem_prefix .. idem)
  end
  if not holder and (created[id] or (check_each and redis.call('EXISTS', key) == 1)) then
    holder = id
  end
  if holder then
    out[#out + 1] = holder
    out[#out + 1] = 0
  else
    created[id] = true
    local fields = { 'name', name, 'payload', payload, 'prio', prio, 'attempt', '0', 'maxr', maxr, 'enq', now_s }
    if timeout ~= '' then fields[#fields + 1] = 'timeout'; fields[#fields + 1] = timeout end
    if trace ~= '' then fields[#fields + 1] = 'trace'; fields[#fields + 1] = trace end
    if idem ~= '' then
      fields[#fields + 1] = 'idem'; fields[#fields + 1] = idem
      fields[#fields + 1] = 'uuf'; fields[#fields + 1] = uuf
      if uuf == '1' then
        redis.call('SET', idem_prefix .. idem, id)
      else
        redis.call('SET', idem_prefix .. idem, id, 'PX', idem_ttl)
      end
    end
    local due = nil
    if run_at ~= '' then
      due = tonumber(run_at)
    elseif delay ~= '' then
      due = now + tonumber(delay)
    end
    if due and due > now then
      local due_s = int_text(due)
      fields[#fields + 1] = 'state'; fields[#fields + 1] = 'scheduled'
      fields[#fields + 1] = 'due'; fields[#fields + 1] = due_s
      redis.call('HSET', key, unpack(fields))
      delayed[#delayed + 1] = due_s
      delayed[#delayed + 1] = id
      if not earliest or due < earliest then earliest = due end
    else
      fields[#fields + 1] = 'state'; fields[#fields + 1] = 'pending'
      redis.call('HSET', key, unpack(fields))
      local list = ready[tonumber(prio) + 1]
      list[#list + 1] = id
    end
    out[#out + 1] = id
    out[#out + 1] = 1
  end
end

-- A list going from empty to non-empty wakes idle workers; otherwise they are busy anyway. The list grew by
-- exactly what was pushed (the script is atomic), so its new length says whether it was empty.
local signal = false
for p = 1, 4 do
  local ids = ready[p]
  if #ids > 0 and call_batched('RPUSH', KEYS[p], ids, 1) == #ids then signal = true end
end
if #delayed > 0 then
  -- Waiters must re-arm their timers when a delayed job became the earliest.
  local head = redis.call('ZRANGE', KEYS[5], 0, 0, 'WITHSCORES')
  call_batched('ZADD', KEYS[5], delayed, 2)
  if not head[2] or earliest < tonumber(head[2]) then signal = true end
end
if signal then redis.call('PUBLISH', channel, queue) end
return out

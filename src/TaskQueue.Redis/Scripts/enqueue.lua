-- Enqueues one or many jobs of one queue (bulk enqueue sends a whole batch in one call).
-- Cost per call, not per job where it can be: one EXISTS over every job key of the call (a taken id is rare: only
-- when it finds one are the jobs checked one by one), one HSET per job, one RPUSH per priority with the ids in
-- input order, one ZADD for the delayed ones. Idempotency keys cost a GET (and SET) per keyed job.
-- KEYS[1..4] ready lists (critical, high, normal, low); KEYS[5] scheduled set (the others of StateKeys are unused)
-- ARGV[1] job key prefix; ARGV[2] idempotency key prefix; ARGV[3] queue name; ARGV[4] work signal channel
-- ARGV[5..] 12 values per job: id, name, payload, priority (0-3), max retries, timeout ms or '',
--           run-at ms (absolute) or '', delay ms or '', idempotency key or '', idempotency ttl ms,
--           unique-until-finished '1' or '', traceparent or ''
-- Returns: 2 values per job, in input order: the job id (the first job's id when the idempotency key
--          or the id is taken) and 1 when created, 0 when not.
local job_prefix, idem_prefix, queue, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = now_ms()
local now_s = now_text(now)
local out = {}

-- Ids already stored: none in the common case, found with one EXISTS for the whole call.
local keys = {}
for i = 5, #ARGV, 12 do keys[#keys + 1] = job_prefix .. ARGV[i] end
local check_each = false
for i = 1, #keys, MAX_UNPACK do
  if redis.call('EXISTS', unpack(keys, i, math.min(#keys, i + MAX_UNPACK - 1))) ~= 0 then check_each = true end
end
-- Ids created by this call (the same id twice in one call creates it once, like two calls would).
local created = {}

local ready = { {}, {}, {}, {} }
local delayed = {}
local earliest = nil
for i = 5, #ARGV, 12 do
  local id, idem = ARGV[i], ARGV[i + 8]
  local key = job_prefix .. id
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
    local prio = ARGV[i + 3]
    local fields = { 'name', ARGV[i + 1], 'payload', ARGV[i + 2], 'prio', prio, 'attempt', '0', 'maxr', ARGV[i + 4], 'enq', now_s }
    if ARGV[i + 5] ~= '' then fields[#fields + 1] = 'timeout'; fields[#fields + 1] = ARGV[i + 5] end
    if ARGV[i + 11] ~= '' then fields[#fields + 1] = 'trace'; fields[#fields + 1] = ARGV[i + 11] end
    if idem ~= '' then
      fields[#fields + 1] = 'idem'; fields[#fields + 1] = idem
      fields[#fields + 1] = 'uuf'; fields[#fields + 1] = ARGV[i + 10]
      if ARGV[i + 10] == '1' then
        redis.call('SET', idem_prefix .. idem, id)
      else
        redis.call('SET', idem_prefix .. idem, id, 'PX', ARGV[i + 9])
      end
    end
    local due = nil
    if ARGV[i + 6] ~= '' then
      due = tonumber(ARGV[i + 6])
    elseif ARGV[i + 7] ~= '' then
      due = now + tonumber(ARGV[i + 7])
    end
    if due and due > now then
      local due_s = string.format('%d', due)
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

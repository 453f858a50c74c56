-- Enqueues one or many jobs of one queue (bulk enqueue sends a whole batch in one call).
-- KEYS[1..4] ready lists (critical, high, normal, low); KEYS[5] scheduled set
-- ARGV[1] job key prefix; ARGV[2] idempotency key prefix; ARGV[3] queue name; ARGV[4] work signal channel
-- ARGV[5..] 12 values per job: id, name, payload, priority (0-3), max retries, timeout ms or '',
--           run-at ms (absolute) or '', delay ms or '', idempotency key or '', idempotency ttl ms,
--           unique-until-finished '1' or '', traceparent or ''
-- Returns: 2 values per job, in input order: the job id (the first job's id when the idempotency key
--          or the id is taken) and 1 when created, 0 when not.
local job_prefix, idem_prefix, queue, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = now_ms()
local out = {}
local signal = false
for i = 5, #ARGV, 12 do
  local id, idem = ARGV[i], ARGV[i + 8]
  local taken = false
  if idem ~= '' then
    local holder = redis.call('GET', idem_prefix .. idem)
    if holder then
      out[#out + 1] = holder
      out[#out + 1] = 0
      taken = true
    end
  end
  if not taken and redis.call('EXISTS', job_prefix .. id) == 1 then
    out[#out + 1] = id
    out[#out + 1] = 0
    taken = true
  end
  if not taken then
    local key = job_prefix .. id
    local prio = ARGV[i + 3]
    local fields = { 'name', ARGV[i + 1], 'payload', ARGV[i + 2], 'prio', prio, 'attempt', 0, 'maxr', ARGV[i + 4], 'enq', now }
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
      fields[#fields + 1] = 'state'; fields[#fields + 1] = 'scheduled'
      fields[#fields + 1] = 'due'; fields[#fields + 1] = due
      redis.call('HSET', key, unpack(fields))
      if schedule_at(KEYS[5], id, due) then signal = true end
    else
      fields[#fields + 1] = 'state'; fields[#fields + 1] = 'pending'
      redis.call('HSET', key, unpack(fields))
      -- A list going from empty to non-empty wakes idle workers; otherwise they are busy anyway.
      if redis.call('RPUSH', KEYS[tonumber(prio) + 1], id) == 1 then signal = true end
    end
    out[#out + 1] = id
    out[#out + 1] = 1
  end
end
if signal then redis.call('PUBLISH', channel, queue) end
return out

-- Promotes due scheduled jobs and retries, then leases up to N ready jobs by strict priority (FIFO within one).
-- Cost: per job one HMGET of its hash (the hash is not written: it stays 'pending' with the attempt count before
-- this attempt) and a few comparisons of the fields read; per call one HSET of every lease into the leases hash and
-- one ZADD of every deadline. A job whose stored fields are unusable (see 'problem') is dead-lettered on its own,
-- with an error naming the field and value, and the batch is filled with the next ones.
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag;
-- KEYS[10] leases hash; KEYS[11] succeeded list
-- ARGV[1] job key prefix; ARGV[2] max jobs; ARGV[3] lease ms; ARGV[4] worker id; ARGV[5] lease token base (unique per call);
-- ARGV[6] idempotency key prefix; ARGV[7] max payload bytes (a longer stored payload is dead-lettered, see 'problem')
-- Returns: one string for all leased jobs (one reply element, parsed by the client in place): per job its length in
--          bytes and '\n', then the job: id, name, priority, attempt, max retries, timeout ms or '', enqueued ms, lease
--          token, deferrals ('' when none) and the traceparent's length, each followed by '\n' (none of them can
--          contain one), then the traceparent and the payload bytes.
--          When fewer than max jobs were leased (every ready list is empty now), a trailer follows the jobs: '~',
--          1 when paused else 0, ':', then ms until the earliest scheduled job or retry falls due (0 when one is due
--          now) or -1 when none. It tells a worker about to wait what peek.lua would, without another call.
local job_prefix, idem_prefix = ARGV[1], ARGV[6]
local max_payload = tonumber(ARGV[7])
-- Paused flag, scheduled and retry sets with one EXISTS: all absent in the common case, and then neither the paused
-- check nor the promote reads below run (one command instead of three on every call).
local others = redis.call('EXISTS', KEYS[9], KEYS[5], KEYS[6])
if others > 0 and redis.call('EXISTS', KEYS[9]) == 1 then return '~1:-1' end
local now = now_ms()
local now_s = int_text(now)

local function promote(zkey)
  local due = redis.call('ZRANGEBYSCORE', zkey, '-inf', now, 'LIMIT', 0, 1000)
  if #due > 0 then redis.call('ZREM', zkey, unpack(due)) end
  for _, id in ipairs(due) do
    local key = job_prefix .. id
    local prio = redis.call('HGET', key, 'prio')
    if PRIORITIES[prio] then
      redis.call('RPUSH', KEYS[tonumber(prio) + 1], id)
      redis.call('HSET', key, 'state', 'pending')
      redis.call('HDEL', key, 'due')
    else
      dead_letter_malformed(KEYS[8], job_prefix, idem_prefix, id, bad_field('prio', prio), now_s)
    end
  end
end
if others > 0 then
  promote(KEYS[5])
  promote(KEYS[6])
end

-- Why a job (f = its fields as read below) cannot be delivered, or nil. This runs for every fetched job, so it only
-- checks what this script and complete.lua compute with (prio, attempt) and what would break a reply's framing (a
-- name with a line break), with plain comparisons: Lua patterns cost ~0.1 us a character here, which measurably cut
-- drain throughput. The other values (max retries, timeout, enqueued, id) are parsed by the client, which dead-letters
-- a job that does not parse on its own (FetchReplyParser); an id or name it cannot even frame leaves the job leased,
-- and recover.lua dead-letters it when the lease expires, naming the field.
local function rare_problem(id, f)
  if not (f[1] or f[2] or f[3] or f[4] or f[5] or f[7]) then return 'the job hash is missing' end
  if not f[1] then return bad_field('name', f[1]) end
  if not f[2] then return bad_field('payload', f[2]) end
  if not f[3] then return bad_field('prio', f[3]) end
  if not f[4] then return bad_field('attempt', f[4]) end
  if not f[5] then return bad_field('maxr', f[5]) end
  if not f[7] then return bad_field('enq', f[7]) end
  if f[6] and f[6] ~= '' and not (#f[6] <= 15 and string.find(f[6], '^%d+$')) then return bad_field('timeout', f[6]) end
  -- A traceparent is printable ASCII (W3C and hierarchical ids alike); NewJob.Validate applies the same rule.
  if f[8] and (#f[8] > 512 or string.find(f[8], '[^\32-\126]')) then return bad_field('trace', f[8]) end
  if f[9] and f[9] ~= '' and f[9] ~= '1' and f[9] ~= '0' then return bad_field('uuf', f[9]) end
  if f[10] and not is_count(f[10]) then return bad_field('defer', f[10]) end
  return nil
end

local function problem(id, f)
  local name, prio, attempt, maxr = f[1], f[3], f[4], f[5]
  if not (name and f[2] and prio and attempt and maxr and f[7]) then return rare_problem(id, f) end
  if not PRIORITIES[prio] then return bad_field('prio', prio) end
  -- '#' is O(1) (Lua strings know their length): the one size check per job. A payload can be over the limit when
  -- it was stored before the limit was lowered or by another application.
  if #f[2] > max_payload then
    return 'the payload is ' .. int_text(#f[2]) .. ' bytes, more than the limit of ' .. ARGV[7] .. ' bytes (MaxPayloadBytes)'
  end
  if attempt ~= '0' and not is_count(attempt) then return bad_field('attempt', attempt) end
  if not (#maxr == 1 and maxr >= '0' and maxr <= '9') and not is_count(maxr) then return bad_field('maxr', maxr) end
  if name == '' or string.find(name, '\n', 1, true) then return bad_field('name', name) end
  -- Timeout, trace, unique key and deferrals are rare: checked only when the job has one.
  if f[6] or f[8] or f[9] or f[10] then return rare_problem(id, f) end
  return nil
end

local max = tonumber(ARGV[2])
local deadline_s = int_text(now + tonumber(ARGV[3]))
local worker = ARGV[4]
local token_base = ARGV[5] .. '-'
local out = {}
local leases = {}
local deadlines = {}
local n = 0
for p = 1, 4 do
  while n < max do
    local want = max - n
    local ids = redis.call('LPOP', KEYS[p], want)
    if not ids then break end
    for _, id in ipairs(ids) do
      local key = job_prefix .. id
      local f = redis.call('HMGET', key, 'name', 'payload', 'prio', 'attempt', 'maxr', 'timeout', 'enq', 'trace', 'uuf', 'defer')
      local err = problem(id, f)
      -- Most jobs carry no unique key: no read for them.
      local uuf_idem = ''
      if not err and f[9] == '1' then
        uuf_idem = redis.call('HGET', key, 'idem')
        if not uuf_idem or uuf_idem == '' then err = bad_field('uuf', f[9]) .. " without a stored 'idem'" end
      end
      if err then
        dead_letter_malformed(KEYS[8], job_prefix, idem_prefix, id, err, now_s)
      else
        n = n + 1
        -- Most jobs run once and carry no trace: skip number-to-text conversions for them.
        local attempt = f[4] == '0' and '1' or int_text(tonumber(f[4]) + 1)
        local token = token_base .. int_text(n)
        leases[#leases + 1] = id
        leases[#leases + 1] = lease_value(token, attempt, f[3], now_s, uuf_idem, worker)
        deadlines[#deadlines + 1] = deadline_s
        deadlines[#deadlines + 1] = id
        local trace = f[8] or ''
        local job = id .. '\n' .. f[1] .. '\n' .. f[3] .. '\n' .. attempt .. '\n' .. f[5] .. '\n' .. (f[6] or '') .. '\n'
          .. f[7] .. '\n' .. token .. '\n' .. (f[10] or '') .. '\n' .. (trace == '' and '0' or int_text(#trace)) .. '\n'
          .. trace .. f[2]
        -- Length and job as two pieces: table.concat copies once, instead of once more per job here.
        out[#out + 1] = int_text(#job) .. '\n'
        out[#out + 1] = job
      end
    end
    if #ids < want then break end
  end
end
if n > 0 then
  call_batched('HSET', KEYS[10], leases, 2)
  call_batched('ZADD', KEYS[7], deadlines, 2)
end
-- Fewer than max: every list ran empty (a malformed job does not count, the loop took the next one instead). The
-- trailer then says when the earliest scheduled job or retry falls due, read only now: a fetch that filled its batch
-- (the busy case) never pays for it.
if n < max then
  local next_due = -1
  if others > 0 then
    for z = 5, 6 do
      local head = redis.call('ZRANGE', KEYS[z], 0, 0, 'WITHSCORES')
      if head[2] then
        local wait = math.max(0, tonumber(head[2]) - now)
        if next_due < 0 or wait < next_due then next_due = wait end
      end
    end
  end
  out[#out + 1] = '~0:' .. int_text(next_due)
end
return table.concat(out)

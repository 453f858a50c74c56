-- Promotes due scheduled jobs and retries, then leases up to N ready jobs by strict priority (FIFO within one).
-- Cost: per job one HMGET of its hash (the hash is not written: it stays 'pending' with the attempt count before
-- this attempt); per call one HSET of every lease into the leases hash and one ZADD of every deadline.
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag;
-- KEYS[10] leases hash; KEYS[11] succeeded list
-- ARGV[1] job key prefix; ARGV[2] max jobs; ARGV[3] lease ms; ARGV[4] worker id; ARGV[5] lease token base (unique per call)
-- Returns: one string for all leased jobs (one reply element, parsed by the client in place): per job its length in
--          bytes and '\n', then the job: id, name, priority, attempt, max retries, timeout ms or '', enqueued ms, lease
--          token and the traceparent's length, each followed by '\n' (none of them can contain one), then the
--          traceparent and the payload bytes. Empty ('') when paused or nothing is ready.
local job_prefix = ARGV[1]
if redis.call('EXISTS', KEYS[9]) == 1 then return '' end
local now = now_ms()

local function promote(zkey)
  local due = redis.call('ZRANGEBYSCORE', zkey, '-inf', now, 'LIMIT', 0, 1000)
  for _, id in ipairs(due) do
    local key = job_prefix .. id
    local prio = redis.call('HGET', key, 'prio')
    if prio then
      redis.call('RPUSH', KEYS[tonumber(prio) + 1], id)
      redis.call('HSET', key, 'state', 'pending')
      redis.call('HDEL', key, 'due')
    end
  end
  if #due > 0 then redis.call('ZREM', zkey, unpack(due)) end
end
promote(KEYS[5])
promote(KEYS[6])

local max = tonumber(ARGV[2])
local now_s = int_text(now)
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
      local f = redis.call('HMGET', key, 'name', 'payload', 'prio', 'attempt', 'maxr', 'timeout', 'enq', 'trace', 'uuf')
      if f[1] then
        n = n + 1
        -- Most jobs run once and carry no trace or unique key: skip number-to-text conversions and reads for them.
        local attempt = f[4] == '0' and '1' or int_text(tonumber(f[4]) + 1)
        local token = token_base .. int_text(n)
        local uuf_idem = f[9] == '1' and redis.call('HGET', key, 'idem') or ''
        leases[#leases + 1] = id
        leases[#leases + 1] = lease_value(token, attempt, f[3], now_s, uuf_idem, worker)
        deadlines[#deadlines + 1] = deadline_s
        deadlines[#deadlines + 1] = id
        local trace = f[8] or ''
        local job = id .. '\n' .. f[1] .. '\n' .. f[3] .. '\n' .. attempt .. '\n' .. f[5] .. '\n' .. (f[6] or '') .. '\n'
          .. f[7] .. '\n' .. token .. '\n' .. (trace == '' and '0' or int_text(#trace)) .. '\n' .. trace .. (f[2] or '')
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
return table.concat(out)

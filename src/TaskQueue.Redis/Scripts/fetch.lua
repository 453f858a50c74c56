-- Promotes due scheduled jobs and retries, then leases up to N ready jobs by strict priority (FIFO within one).
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag
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
local deadline = now + tonumber(ARGV[3])
local out = {}
local n = 0
for p = 1, 4 do
  while n < max do
    local want = max - n
    local ids = redis.call('LPOP', KEYS[p], want)
    if not ids then break end
    for _, id in ipairs(ids) do
      local key = job_prefix .. id
      local f = redis.call('HMGET', key, 'name', 'payload', 'prio', 'maxr', 'timeout', 'enq', 'trace')
      if f[1] then
        n = n + 1
        local attempt = redis.call('HINCRBY', key, 'attempt', 1)
        local token = ARGV[5] .. '-' .. n
        redis.call('HSET', key, 'state', 'active', 'token', token, 'worker', ARGV[4], 'started', now)
        redis.call('HDEL', key, 'progress')
        redis.call('ZADD', KEYS[7], deadline, id)
        local trace = f[7] or ''
        local job = id .. '\n' .. f[1] .. '\n' .. f[3] .. '\n' .. attempt .. '\n' .. f[4] .. '\n' .. (f[5] or '') .. '\n'
          .. f[6] .. '\n' .. token .. '\n' .. #trace .. '\n' .. trace .. (f[2] or '')
        out[#out + 1] = #job .. '\n' .. job
      end
    end
    if #ids < want then break end
  end
end
return table.concat(out)

-- Lists up to N expired leases of one queue, oldest deadline first, for the caller's retry decision; the caller then
-- applies the decisions with complete.lua in recovery mode (fenced by token and still-expired). Changes nothing for
-- a listed job. A job the caller could not decide on (lease, id, name or max retries unusable; hash missing) is
-- dead-lettered here at once, with an error naming the field and value, and counted as failed. Also deletes
-- succeeded jobs whose retention passed (a few rounds of trim_succeeded), so an idle worker still cleans up. No
-- lock: listing is read-only and applying is fenced, so workers recovering at once cannot recover a job twice.
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag;
-- KEYS[10] leases hash; KEYS[11] succeeded list
-- ARGV[1] job key prefix; ARGV[2] idempotency key prefix; ARGV[3] stats key prefix; ARGV[4] retention ms of
-- succeeded jobs; ARGV[5] most leases to list
-- Returns: { how many malformed jobs were dead-lettered, then 6 values per expired lease: id, lease token, attempt,
--          max retries, job name, worker id ('' when none) }.
local job_prefix, idem_prefix, stats_prefix = ARGV[1], ARGV[2], ARGV[3]
local now = now_ms()
local expired = redis.call('ZRANGEBYSCORE', KEYS[7], '-inf', now, 'LIMIT', 0, tonumber(ARGV[5]))
local out = { 0 }
local malformed = 0
if #expired > 0 then
  local now_s = int_text(now)
  local leases = redis.call('HMGET', KEYS[10], unpack(expired))
  local gone = {}
  for pos, id in ipairs(expired) do
    local f = redis.call('HMGET', job_prefix .. id, 'name', 'maxr', 'state')
    local token, attempt, worker
    if leases[pos] then
      local _
      token, attempt, _, _, _, worker = parse_lease(leases[pos])
    end
    local err = nil
    if not leases[pos] then
      -- In the active set without a lease: nothing fences it; a job that still looks running is in no list.
      if f[3] == 'pending' then err = 'its lease is missing' end
    elseif not token or token == '' or not is_count(attempt) then
      err = "stored lease has the invalid value '" .. leases[pos] .. "'"
    elseif not (f[1] or f[2] or f[3]) then
      err = 'the job hash is missing'
    elseif #id > 64 or string.find(id, '[^%w%-_.]') then
      err = "stored id '" .. id .. "' is not a valid job id"
    elseif not f[1] or f[1] == '' or #f[1] > 64 or string.find(f[1], '[^%w%-_.:]') then
      err = bad_field('name', f[1])
    elseif not is_count(f[2]) then
      err = bad_field('maxr', f[2])
    end
    if err or not leases[pos] then
      gone[#gone + 1] = id
      if err then
        -- Freed after the lease goes (below): dead_letter_malformed reads the unique key from the hash.
        dead_letter_malformed(KEYS[8], job_prefix, idem_prefix, id, err, now_s)
        if is_count(attempt) then redis.call('HSET', job_prefix .. id, 'attempt', attempt) end
        malformed = malformed + 1
      end
    else
      out[#out + 1] = id
      out[#out + 1] = token
      out[#out + 1] = attempt
      out[#out + 1] = f[2]
      out[#out + 1] = f[1]
      out[#out + 1] = worker
    end
  end
  if #gone > 0 then
    redis.call('HDEL', KEYS[10], unpack(gone))
    redis.call('ZREM', KEYS[7], unpack(gone))
  end
end
trim_succeeded(KEYS[11], job_prefix, tonumber(ARGV[4]), now, 5)
bump_day_counter(stats_prefix, 'failed', now, malformed)
out[1] = malformed
return out

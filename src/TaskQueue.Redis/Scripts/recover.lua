-- Requeues (or dead-letters, when out of retries) jobs of one queue whose lease expired, counting the attempt:
-- the lease's attempt is written to the hash (fetch does not write it). Also deletes succeeded jobs whose retention
-- passed (a few rounds of trim_succeeded), so an idle worker still cleans up. No lock: the script is atomic, so
-- workers recovering at once cannot recover a job twice, and the scan is one ZRANGEBYSCORE. (A lock held by a
-- worker that then dies would stall recovery until it lapsed.)
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag;
-- KEYS[10] leases hash; KEYS[11] succeeded list
-- ARGV[1] job key prefix; ARGV[2] idempotency key prefix; ARGV[3] stats key prefix; ARGV[4] queue name;
-- ARGV[5] work signal channel; ARGV[6] dead-letter max count; ARGV[7] dead-letter max age ms; ARGV[8] retention ms of succeeded jobs
-- Returns: how many jobs were recovered.
local job_prefix, idem_prefix, stats_prefix, queue, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local now = now_ms()
local expired = redis.call('ZRANGEBYSCORE', KEYS[7], '-inf', now, 'LIMIT', 0, 1000)
local requeued = false
local count = 0
if #expired > 0 then
  local now_s = int_text(now)
  local leases = redis.call('HMGET', KEYS[10], unpack(expired))
  local dead = {}
  for pos, id in ipairs(expired) do
    local key = job_prefix .. id
    local f = redis.call('HMGET', key, 'maxr', 'prio', 'attempt', 'idem', 'uuf')
    if f[1] then
      count = count + 1
      local attempt, prio, worker, uuf_idem = f[3], f[2], '', ''
      if leases[pos] then
        local _
        _, attempt, prio, _, uuf_idem, worker = parse_lease(leases[pos])
      elseif f[5] == '1' then
        -- No lease: an 'active' hash written by v1, whose attempt was counted at fetch.
        uuf_idem = f[4]
      end
      -- The same text as the in-memory store (the contract suite pins it); the crashed worker's id is kept.
      local err = 'lease expired'
      if tonumber(attempt) > tonumber(f[1]) then
        redis.call('HSET', key, 'state', 'dead', 'err', err, 'fin', now_s, 'attempt', attempt, 'worker', worker)
        dead[#dead + 1] = now_s
        dead[#dead + 1] = id
        release_unique_key(idem_prefix, id, uuf_idem, '1')
      else
        redis.call('HSET', key, 'state', 'pending', 'err', err, 'attempt', attempt, 'worker', worker)
        redis.call('HDEL', key, 'progress', 'token', 'started')
        redis.call('RPUSH', KEYS[tonumber(prio) + 1], id)
        requeued = true
      end
    end
  end
  redis.call('HDEL', KEYS[10], unpack(expired))
  redis.call('ZREM', KEYS[7], unpack(expired))
  if #dead > 0 then
    redis.call('ZADD', KEYS[8], unpack(dead))
    auto_trim_dead(KEYS[8], job_prefix, tonumber(ARGV[6]), tonumber(ARGV[7]), now)
  end
end
trim_succeeded(KEYS[11], job_prefix, tonumber(ARGV[8]), now, 5)
bump_day_counter(stats_prefix, 'failed', now, count)
if requeued then redis.call('PUBLISH', channel, queue) end
return count

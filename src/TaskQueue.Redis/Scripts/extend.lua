-- Pushes out the lease deadline of running jobs of one queue.
-- KEYS[1] active set
-- ARGV[1] job key prefix; ARGV[2] lease ms; ARGV[3..] 2 values per lease: id, lease token
-- Returns: the 1-based positions of leases no longer held (token changed, job finished, recovered or cancelled).
local job_prefix = ARGV[1]
local deadline = now_ms() + tonumber(ARGV[2])
local lost = {}
local pos = 0
for i = 3, #ARGV, 2 do
  pos = pos + 1
  local id = ARGV[i]
  local f = redis.call('HMGET', job_prefix .. id, 'state', 'token')
  if f[1] == 'active' and f[2] == ARGV[i + 1] then
    redis.call('ZADD', KEYS[1], 'XX', deadline, id)
  else
    lost[#lost + 1] = pos
  end
end
return lost

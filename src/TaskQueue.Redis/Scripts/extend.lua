-- Pushes out the lease deadline of running jobs of one queue.
-- Cost per call: one HMGET of the leases (the token check) and one ZADD XX of the new deadlines.
-- KEYS[1] active set; KEYS[2] leases hash
-- ARGV[1] lease ms; ARGV[2..] 2 values per lease: id, lease token
-- Returns: the 1-based positions of leases no longer held (token changed, job finished, recovered or cancelled).
local deadline_s = int_text(now_ms() + tonumber(ARGV[1]))
local ids = {}
for i = 2, #ARGV, 2 do ids[#ids + 1] = ARGV[i] end
local lost = {}
local held = {}
for k = 1, #ids, MAX_UNPACK do
  local last = math.min(#ids, k + MAX_UNPACK - 1)
  local leases = redis.call('HMGET', KEYS[2], unpack(ids, k, last))
  for j = 1, last - k + 1 do
    local pos = k + j - 1
    if leases[j] and lease_token(leases[j]) == ARGV[2 * pos + 1] then
      held[#held + 1] = deadline_s
      held[#held + 1] = ids[pos]
    else
      lost[#lost + 1] = pos
    end
  end
end
if #held > 0 then call_batched('ZADD', KEYS[1], held, 2) end
return lost

-- Records a running job's progress, only for the current lease.
-- KEYS[1] job hash; KEYS[2] leases hash
-- ARGV[1] lease token; ARGV[2] percent (0-100); ARGV[3] job id
-- Returns: 1 when recorded, 0 when the lease is not current.
local lease = redis.call('HGET', KEYS[2], ARGV[3])
if not lease or lease_token(lease) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'progress', ARGV[2])
return 1

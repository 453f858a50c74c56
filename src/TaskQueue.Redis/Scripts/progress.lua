-- Records a running job's progress, only for the current lease.
-- KEYS[1] job hash
-- ARGV[1] lease token; ARGV[2] percent (0-100)
-- Returns: 1 when recorded, 0 when the lease is not current.
local f = redis.call('HMGET', KEYS[1], 'state', 'token')
if f[1] ~= 'active' or f[2] ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'progress', ARGV[2])
return 1

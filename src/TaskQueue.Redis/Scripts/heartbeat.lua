-- Registers or refreshes a worker; its entry disappears when not refreshed within the ttl.
-- KEYS[1] workers set (score = expiry ms); KEYS[2] the worker's hash
-- ARGV[1] worker id; ARGV[2] ttl ms; ARGV[3] host; ARGV[4] process id; ARGV[5] queues (comma separated);
-- ARGV[6] concurrency; ARGV[7] started (unix ms); ARGV[8] jobs running
-- Returns: 1.
local now = now_ms()
redis.call('HSET', KEYS[2], 'host', ARGV[3], 'pid', ARGV[4], 'queues', ARGV[5], 'conc', ARGV[6], 'started', ARGV[7], 'running', ARGV[8], 'seen', now)
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return 1

-- Removes a worker's entry (graceful shutdown).
-- KEYS[1] workers set; KEYS[2] the worker's hash
-- ARGV[1] worker id
-- Returns: 1 when it was registered, else 0.
redis.call('DEL', KEYS[2])
return redis.call('ZREM', KEYS[1], ARGV[1])

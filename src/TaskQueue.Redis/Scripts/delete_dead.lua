-- Deletes one dead letter of one queue.
-- KEYS[1] dead set
-- ARGV[1] job key prefix; ARGV[2] job id
-- Returns: 1 when deleted, 0 when it was not a dead letter.
if redis.call('ZREM', KEYS[1], ARGV[2]) == 0 then return 0 end
redis.call('DEL', ARGV[1] .. ARGV[2])
return 1

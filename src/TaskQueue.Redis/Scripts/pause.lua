-- Pauses or resumes one queue; resuming wakes idle workers.
-- KEYS[1] paused flag
-- ARGV[1] '1' to pause, '0' to resume; ARGV[2] work signal channel; ARGV[3] queue name
-- Returns: 1.
if ARGV[1] == '1' then
  redis.call('SET', KEYS[1], '1')
else
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], ARGV[3])
end
return 1

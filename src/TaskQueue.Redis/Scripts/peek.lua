-- Read-only: whether one queue has work now, and when the next scheduled job or retry falls due.
-- KEYS[1..4] ready lists (critical..low); KEYS[5] scheduled; KEYS[6] retry; KEYS[7] active; KEYS[8] dead; KEYS[9] paused flag
-- ARGV: none
-- Returns: { ready count, 1 when paused else 0, ms until the earliest due job (0 when overdue) or -1 when none }.
local ready = 0
for p = 1, 4 do ready = ready + redis.call('LLEN', KEYS[p]) end
local paused = redis.call('EXISTS', KEYS[9])
local now = now_ms()
local next_due = -1
for z = 5, 6 do
  local head = redis.call('ZRANGE', KEYS[z], 0, 0, 'WITHSCORES')
  if head[2] then
    local wait = math.max(0, tonumber(head[2]) - now)
    if next_due < 0 or wait < next_due then next_due = wait end
  end
end
return { ready, paused, next_due }

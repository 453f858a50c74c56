-- The server's clock for recurring schedules (the client computes next due instants from it).
-- KEYS none. ARGV[1] clock override in ms ('' in production; tests drive a simulated clock with it).
-- Returns: now in ms.
if ARGV[1] ~= '' then return tonumber(ARGV[1]) end
return now_ms()

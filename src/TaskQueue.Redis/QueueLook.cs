namespace TaskQueue.Redis;

/// <summary>
/// What a worker about to wait needs to know of a queue that has no ready job: whether it is paused (resuming sends
/// a signal) and when its earliest scheduled job or retry falls due. <c>peek.lua</c> answers it, and so does the
/// trailer of a <c>fetch.lua</c> reply that emptied every ready list.
/// </summary>
/// <param name="Paused">The queue is paused.</param>
/// <param name="NextDueMs">Ms until the earliest scheduled job or retry is due: 0 when one is due now, -1 when there is none.</param>
internal readonly record struct QueueLook(bool Paused, long NextDueMs);

namespace TaskQueue.Processing;

/// <summary>
/// Runs one job: reads its arguments from <paramref name="payload"/>, calls the job method and returns its result
/// as UTF-8 JSON (null for jobs that return nothing). Generated definitions carry one (a static lambda per job).
/// </summary>
/// <exception cref="JobPayloadException">The payload does not fit the job's parameters.</exception>
public delegate ValueTask<byte[]?> JobInvoker(ReadOnlyMemory<byte> payload, JobContext context);

using Microsoft.Extensions.Logging;

namespace TaskQueue.Hosting;

/// <summary>The hosting package's log messages (source-generated: no boxing, no parsing at run time).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Could not read the counts of queue '{Queue}' for the taskqueue.queue.jobs gauge; it is left out of this collection.")]
    public static partial void GaugeReadFailed(this ILogger logger, Exception exception, string queue);
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TaskQueue.Admin;

namespace TaskQueue.Dashboard;

/// <summary>
/// <c>services.AddHealthChecks().AddTaskQueue()</c>: TaskQueue's liveness and readiness as ASP.NET Core health checks, so
/// a host can serve them on its own endpoints (<c>app.MapHealthChecks("/healthz", ...)</c>) next to its other checks.
/// </summary>
public static class TaskQueueHealthChecksBuilderExtensions
{
    /// <summary>The tag of the liveness check.</summary>
    public const string LiveTag = "live";

    /// <summary>The tag of the readiness check.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds <c>{name}-live</c> (tagged <see cref="LiveTag"/>: always healthy while the process runs) and <c>{name}-store</c>
    /// (tagged <see cref="ReadyTag"/>: healthy when the store answers, with its round trip in the data; unhealthy, or
    /// <paramref name="failureStatus"/>, when it does not). The store is reached through <see cref="IJobAdmin"/>.
    /// </summary>
    public static IHealthChecksBuilder AddTaskQueue(this IHealthChecksBuilder builder, string name = "taskqueue", HealthStatus? failureStatus = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.Add(new HealthCheckRegistration(name + "-live", static _ => new TaskQueueLivenessCheck(), HealthStatus.Unhealthy, [LiveTag]));
        builder.Add(new HealthCheckRegistration(
            name + "-store",
            static sp => new TaskQueueStoreHealthCheck(sp.GetService<IJobAdmin>() ?? sp.GetRequiredService<Storage.IJobStore>() as IJobAdmin
                ?? throw new InvalidOperationException("The TaskQueue store health check needs an IJobAdmin (the store's, or one registered).")),
            failureStatus,
            [ReadyTag],
            timeout));
        return builder;
    }
}

/// <summary>Liveness: answers while the process runs.</summary>
internal sealed class TaskQueueLivenessCheck : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(HealthCheckResult.Healthy("TaskQueue is running."));
}

/// <summary>Readiness: the store answers, and how fast.</summary>
internal sealed class TaskQueueStoreHealthCheck(IJobAdmin admin) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        StoreStatus status;
        try
        {
            status = await admin.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The TaskQueue store failed: " + ex.Message, ex);
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["store"] = status.Kind };
        if (status.RoundTrip is { } roundTrip)
        {
            data["roundTripMs"] = roundTrip.TotalMilliseconds;
        }

        return status.Available
            ? HealthCheckResult.Healthy($"The TaskQueue store ({status.Kind}) answers.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"The TaskQueue store ({status.Kind}) does not answer: {status.Error}", data: data);
    }
}

using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TaskQueue.Dashboard.Api;

/// <summary>Says at start-up when the API is open to the network with authentication off, or locked to everyone.</summary>
internal static partial class StartupWarnings
{
    public static void Register(IServiceProvider services, ApiAccess access, ILogger logger, string prefix)
    {
        if (access.LocksEveryoneOut)
        {
            LogLockedOut(logger, prefix);
        }

        if (!access.Options.DisableAuthentication)
        {
            return;
        }

        var lifetime = services.GetService<IHostApplicationLifetime>();
        lifetime?.ApplicationStarted.Register(() =>
        {
            var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var open = addresses.Where(a => !IsLoopback(a)).ToArray();
            if (open.Length > 0)
            {
                LogOpen(logger, prefix, string.Join(", ", open));
            }
        });
    }

    /// <summary>True for an address only this machine can reach (localhost, 127.x, ::1).</summary>
    internal static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "TaskQueue API at {Prefix}: authentication is OFF (DisableAuthentication) and the app listens on {Addresses}, which other machines can reach: anyone there can read jobs and cancel, delete or create them. Configure ApiKeys or AuthorizationPolicy, or bind to loopback.")]
    private static partial void LogOpen(ILogger logger, string prefix, string addresses);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning,
        Message = "TaskQueue API at {Prefix}: no API key and no authorization policy is configured, so every call is refused (401). Set ApiKeys, ReadOnlyApiKeys or AuthorizationPolicy in AddTaskQueueDashboard.")]
    private static partial void LogLockedOut(ILogger logger, string prefix);
}

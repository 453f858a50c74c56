using System.Collections.Frozen;
using System.Security.Cryptography;

namespace TaskQueue.Dashboard.Ui;

/// <summary>One embedded file of the web dashboard, read once: its bytes, content type and strong ETag.</summary>
internal sealed record DashboardAsset(string Path, byte[] Content, string ContentType, string ETag);

/// <summary>
/// The dashboard's files, embedded in this assembly from <c>wwwroot/</c> (see the project file). Only these names can
/// be served: a request for anything else is a 404, so there is nothing to list and no path to escape through.
/// </summary>
internal static class DashboardAssets
{
    private const string ResourcePrefix = "TaskQueue.Dashboard.wwwroot/";

    private static readonly Lazy<FrozenDictionary<string, DashboardAsset>> s_assets = new(Load);

    public static FrozenDictionary<string, DashboardAsset> All => s_assets.Value;

    public static DashboardAsset? Find(string path) => All.GetValueOrDefault(path);

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var content = memory.ToArray();
            var path = name[ResourcePrefix.Length..].Replace('\\', '/');
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";
            assets[path] = new DashboardAsset(path, content, ContentType(path), etag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string path) => System.IO.Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".json" => "application/json",
        _ => "application/octet-stream",
    };
}

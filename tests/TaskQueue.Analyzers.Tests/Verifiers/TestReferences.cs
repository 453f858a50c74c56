using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace TaskQueue.Analyzers.Tests.Verifiers;

/// <summary>The references every test compilation gets: .NET 10 and the TaskQueue core.</summary>
internal static class TestReferences
{
    /// <summary>
    /// The built-in ReferenceAssemblies.Net.* presets ask the feed for versions it does not serve;
    /// 10.0.12 is served (and matches the installed targeting pack).
    /// </summary>
    public static ReferenceAssemblies Net10 { get; } = new(
        "net10.0",
        new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.12"),
        Path.Combine("ref", "net10.0"));

    public static MetadataReference TaskQueueCore { get; } =
        MetadataReference.CreateFromFile(typeof(TaskQueue.JobAttribute).Assembly.Location);
}

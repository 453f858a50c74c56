using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TaskQueue.Generators.Tests.Infrastructure;

/// <summary>
/// The System.Text.Json source generator as the SDK ships it (in the targeting pack of the running runtime), so a
/// test compilation gets real <c>JsonSerializerContext</c> implementations next to the job generator's output.
/// </summary>
internal static class SystemTextJsonGenerator
{
    private static readonly Lazy<ISourceGenerator> s_generator = new(Load);

    public static ISourceGenerator Instance => s_generator.Value;

    /// <summary><c>&lt;dotnet root&gt;/packs/Microsoft.NETCore.App.Ref/&lt;runtime version&gt;/analyzers/dotnet/cs/System.Text.Json.SourceGeneration.dll</c>.</summary>
    public static string Path
    {
        get
        {
            // <root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
            var runtimeDirectory = new DirectoryInfo(System.IO.Path.GetDirectoryName(typeof(object).Assembly.Location)!);
            var root = runtimeDirectory.Parent!.Parent!.Parent!.FullName;
            var packs = new DirectoryInfo(System.IO.Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref"));
            var version = packs.Exists
                ? packs.GetDirectories().Select(d => d.Name)
                    .Where(n => n == runtimeDirectory.Name || n.StartsWith(Environment.Version.Major + ".", StringComparison.Ordinal))
                    .OrderByDescending(n => n == runtimeDirectory.Name).ThenByDescending(n => Version.TryParse(n, out var v) ? v : new Version()).FirstOrDefault()
                : null;
            var path = version is null ? string.Empty : System.IO.Path.Combine(packs.FullName, version, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll");
            Assert.True(File.Exists(path), $"The System.Text.Json source generator is not in the targeting pack under {packs.FullName}.");
            return path;
        }
    }

    private static ISourceGenerator Load()
    {
        var reference = new AnalyzerFileReference(Path, new DefaultLoader());
        return Assert.Single(reference.GetGenerators(LanguageNames.CSharp));
    }

    private sealed class DefaultLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}

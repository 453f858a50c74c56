using System.Runtime.CompilerServices;

namespace TaskQueue.Generators.Tests.Infrastructure;

/// <summary>
/// Compares generated text with a committed <c>Snapshots/&lt;name&gt;.verified.cs</c>. With
/// <c>TASKQUEUE_ACCEPT_SNAPSHOTS=1</c> it writes the new text instead, but still fails for a file that did
/// not exist, so nothing is accepted silently.
/// </summary>
internal static class Snapshot
{
    /// <summary>Verifies every (name, text) pair; in accept mode writes them all before failing for new ones.</summary>
    public static void VerifyAll(IEnumerable<(string Name, string Text)> files, [CallerFilePath] string callerPath = "")
    {
        var created = new List<string>();
        foreach (var (name, text) in files)
        {
            if (!Verify(name, text, callerPath))
            {
                created.Add(name);
            }
        }

        Assert.True(created.Count == 0, "New snapshots written (review them and run again): " + string.Join(", ", created));
    }

    /// <summary>Returns false when accept mode created a snapshot that did not exist.</summary>
    private static bool Verify(string name, string actual, string callerPath)
    {
        var directory = Path.Combine(FindProjectDirectory(callerPath), "Snapshots");
        var path = Path.Combine(directory, name + ".verified.cs");
        actual = actual.Replace("\r\n", "\n");
        var exists = File.Exists(path);
        if (Environment.GetEnvironmentVariable("TASKQUEUE_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(path, actual);
            return exists;
        }

        Assert.True(exists, $"Missing snapshot {path}. Run with TASKQUEUE_ACCEPT_SNAPSHOTS=1 to create it, then review it.");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (expected != actual)
        {
            File.WriteAllText(Path.ChangeExtension(path, null).Replace(".verified", ".received") + ".cs", actual);
            Assert.Equal(expected, actual);
        }

        return true;
    }

    private static string FindProjectDirectory(string callerPath)
    {
        for (var dir = Path.GetDirectoryName(callerPath); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "TaskQueue.Generators.Tests.csproj")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("Cannot find the test project directory from " + callerPath);
    }
}

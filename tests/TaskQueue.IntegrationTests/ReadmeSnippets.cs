using System.Text.RegularExpressions;

namespace TaskQueue.IntegrationTests;

/// <summary>The C# code blocks of a Markdown file, each with the line it starts on.</summary>
internal static partial class ReadmeSnippets
{
    public sealed record Snippet(string File, int Line, string Code)
    {
        public override string ToString() => $"{File}:{Line}";
    }

    public static IReadOnlyList<Snippet> Read(string relativePath)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, relativePath)).ReplaceLineEndings("\n");
        return CSharpBlock().Matches(text)
            .Select(m => new Snippet(relativePath, text.AsSpan(0, m.Index).Count('\n') + 2, m.Groups["code"].Value))
            .ToList();
    }

    // A fence that opens with ```csharp (possibly indented, as inside a list item) and its closing ```.
    [GeneratedRegex(@"^[ \t]*```csharp[ \t]*\n(?<code>.*?)^[ \t]*```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}

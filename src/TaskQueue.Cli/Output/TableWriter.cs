namespace TaskQueue.Cli.Output;

/// <summary>Writes rows as aligned columns under a header: the human-readable form of every listing.</summary>
internal sealed class TableWriter(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params object?[] cells) => _rows.Add([.. cells.Select(Format)]);

    public void WriteTo(TextWriter output)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        output.WriteLine(Line(headers, widths).TrimEnd());
        foreach (var row in _rows)
        {
            output.WriteLine(Line(row, widths).TrimEnd());
        }
    }

    private static string Line(string[] cells, int[] widths)
        => string.Join("  ", cells.Select((cell, i) => IsNumber(cell) ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i])));

    private static bool IsNumber(string cell) => cell.Length > 0 && cell.All(c => char.IsAsciiDigit(c) || c == '.' || c == '%');

    private static string Format(object? cell) => cell switch
    {
        null => "-",
        DateTimeOffset at => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
        bool flag => flag ? "yes" : "no",
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => FirstLine(cell.ToString() ?? string.Empty),
    };

    /// <summary>Only the first line of multi-line text (an error with its stack) fits in a cell.</summary>
    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var line = end < 0 ? text : text[..end];
        return line.Length > 80 ? line[..77] + "..." : line;
    }
}

namespace TaskQueue.Dashboard.BrowserTests;

/// <summary>
/// Saves the screenshots the README shows: always into the test output (screenshots/), and into docs/images/ of the
/// repository only with TASKQUEUE_UPDATE_SCREENSHOTS=1, so an ordinary test run never changes committed files.
/// </summary>
public static class Screenshots
{
    public const string UpdateVariable = "TASKQUEUE_UPDATE_SCREENSHOTS";

    /// <param name="page">The page, at its current viewport.</param>
    /// <param name="name">The file name.</param>
    /// <param name="readme">False for a screenshot only for the test output (not one the README shows).</param>
    public static async Task SaveAsync(IPage page, string name, bool readme = true)
    {
        var bytes = await page.ScreenshotAsync(new() { Type = ScreenshotType.Png, Animations = ScreenshotAnimations.Disabled });
        var output = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(output);
        await File.WriteAllBytesAsync(Path.Combine(output, name), bytes);
        if (readme && Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            var images = Path.Combine(RepositoryRoot(), "docs", "images");
            Directory.CreateDirectory(images);
            await File.WriteAllBytesAsync(Path.Combine(images, name), bytes);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TaskQueue.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("TaskQueue.sln not found above the test output.");
    }
}

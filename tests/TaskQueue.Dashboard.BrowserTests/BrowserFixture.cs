namespace TaskQueue.Dashboard.BrowserTests;

/// <summary>
/// Playwright driving Debian's chromium, headless. Playwright's own browser download is never used: when the system
/// browser is missing the tests fail and say how to install it.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Viewport of every page, and the size of the README's screenshots.</summary>
    public static readonly ViewportSize Viewport = new() { Width = 1280, Height = 800 };

    private readonly List<IBrowserContext> _contexts = [];
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The dashboard's browser tests need Debian's chromium at {ChromiumPath}: sudo apt-get install -y chromium (CI installs it in .ci/run; build.sh test installs it as root).");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        // Expect-style assertions poll for up to 15 s: CI has 2 cores shared by Redis, the app and the browser.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    /// <summary>A fresh context (own storage) with the app's address as base URL, in the given color scheme.</summary>
    public async Task<IPage> NewPageAsync(string baseUrl, ColorScheme colorScheme = ColorScheme.Light, string? apiKey = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = baseUrl,
            ViewportSize = Viewport,
            ColorScheme = colorScheme,
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        _contexts.Add(context);
        context.SetDefaultTimeout(15_000);
        ConsoleErrors.Clear();
        if (apiKey is not null)
        {
            // As if the operator had signed in in this tab: the key the sign-in screen keeps in sessionStorage.
            await context.AddInitScriptAsync($"sessionStorage.setItem('taskqueue.key', {System.Text.Json.JsonSerializer.Serialize(apiKey)});");
        }

        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add(message.Text);
            }
        };
        return page;
    }

    /// <summary>Errors the latest page logged (a CSP violation or a script error shows up here).</summary>
    public List<string> ConsoleErrors { get; } = [];

    /// <summary>Closes every page (a test calls it before stopping its app, so no page polls a stopped server).</summary>
    public async Task ClosePagesAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        _contexts.Clear();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

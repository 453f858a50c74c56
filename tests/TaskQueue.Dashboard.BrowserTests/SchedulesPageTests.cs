using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Scheduling;
using TaskQueue.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace TaskQueue.Dashboard.BrowserTests;

/// <summary>
/// The Schedules page in a real browser over a real redis-server: what it shows (next run, last outcome linked to the
/// occurrence's job) and what its buttons do, checked through <see cref="IRecurringJobClient"/>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SchedulesPageTests(RedisServerFixture redis, BrowserFixture browser) : IAsyncLifetime
{
    private DashboardApp _app = null!;

    private IRecurringJobClient Recurring => _app.App.Services.GetRequiredService<IRecurringJobClient>();

    public async Task InitializeAsync() => _app = await DashboardApp.StartAsync(redis);

    public async Task DisposeAsync()
    {
        await browser.ClosePagesAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Schedules_page_shows_the_next_run_and_last_outcome_and_pauses_resumes_and_deletes()
    {
        await Recurring.UpsertAsync(new RecurringSchedule
        {
            Name = "digest-ada",
            Cron = "0 8 * * MON",
            TimeZone = "Europe/Berlin",
            JobName = "Notify",
            Queue = BrowserJobs.WaitingQueue,
            Payload = """{"user":"ada","message":"weekly digest"}"""u8.ToArray(),
            Misfire = MisfirePolicy.Skip,
        });
        // Every second on the queue the worker serves: the scheduler enqueues occurrences and they succeed.
        await Recurring.UpsertAsync(new RecurringSchedule
        {
            Name = "greet-every-second",
            Cron = "* * * * * *",
            JobName = "Greet",
            Queue = BrowserJobs.WorkQueue,
            Payload = """{"name":"Ada","times":1}"""u8.ToArray(),
        });
        var next = (await Recurring.GetAsync("digest-ada"))!.NextDueAt!.Value;

        var page = await browser.NewPageAsync(_app.BaseUrl, apiKey: DashboardApp.FullKey);
        await page.GotoAsync("/taskqueue/");
        await page.ClickAsync(".nav a[data-nav='schedules']");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Schedules");
        await Expect(page.Locator("#schedules-table tbody tr")).ToHaveCountAsync(2);

        var digest = page.Locator("tr[data-schedule='digest-ada']");
        var nextRun = digest.Locator("td.next-run time");
        await Expect(nextRun).ToHaveAttributeAsync("datetime", new Regex("."));
        Assert.Equal(next, DateTimeOffset.Parse(await nextRun.GetAttributeAsync("datetime") ?? "", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(nextRun).ToHaveTextAsync(new Regex(@"^in \d+ (days?|hours?|minutes?)$"));
        await Expect(digest.Locator("td.last-outcome")).ToHaveTextAsync("—");
        await Expect(digest).ToContainTextAsync("0 8 * * MON");
        await Expect(digest).ToContainTextAsync("Europe/Berlin");

        // The every-second schedule's last occurrence succeeded; its outcome links to that job's page.
        var greet = page.Locator("tr[data-schedule='greet-every-second']");
        await Expect(greet.Locator("td.last-outcome a")).ToHaveTextAsync("succeeded", new() { Timeout = 20_000 });
        await Screenshots.SaveAsync(page, "dashboard-schedules.png");
        Assert.Empty(browser.ConsoleErrors);

        // Pausing from the page pauses the schedule.
        await digest.GetByRole(AriaRole.Button, new() { Name = "Pause digest-ada" }).ClickAsync();
        await Expect(page.Locator(".toasts")).ToContainTextAsync("Schedule digest-ada paused.");
        Assert.True((await Recurring.GetAsync("digest-ada"))!.State.Paused);
        Assert.Null((await Recurring.GetAsync("digest-ada"))!.NextDueAt);
        await Expect(digest.Locator(".badge.paused")).ToHaveTextAsync("Paused");
        await Expect(digest.Locator("td.next-run")).ToHaveTextAsync("paused");
        Assert.False((await Recurring.GetAsync("greet-every-second"))!.State.Paused);

        await digest.GetByRole(AriaRole.Button, new() { Name = "Resume digest-ada" }).ClickAsync();
        await Expect(page.Locator(".toasts")).ToContainTextAsync("Schedule digest-ada resumed.");
        Assert.False((await Recurring.GetAsync("digest-ada"))!.State.Paused);
        await Expect(digest.Locator("td.next-run time")).ToHaveTextAsync(new Regex(@"^in \d+"));

        // The outcome link opens the occurrence's job.
        await Recurring.PauseAsync("greet-every-second");
        await Expect(greet.Locator(".badge.paused")).ToBeVisibleAsync();
        var jobId = (await Recurring.GetAsync("greet-every-second"))!.LastJobId!.Value;
        await greet.Locator("td.last-outcome a").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Greet");
        await Expect(page.Locator("dl.details")).ToContainTextAsync(jobId.Value);

        // Deleting asks first; dismissed, nothing changes; accepted, the schedule is gone.
        await page.GotoAsync("/taskqueue/#/schedules");
        page.Dialog += DismissOnce;
        await digest.GetByRole(AriaRole.Button, new() { Name = "Delete digest-ada" }).ClickAsync();
        page.Dialog -= DismissOnce;
        Assert.NotNull(await Recurring.GetAsync("digest-ada"));
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await digest.GetByRole(AriaRole.Button, new() { Name = "Delete digest-ada" }).ClickAsync();
        await Expect(page.Locator(".toasts")).ToContainTextAsync("Schedule digest-ada deleted.");
        Assert.Null(await Recurring.GetAsync("digest-ada"));
        await Expect(page.Locator("#schedules-table tbody tr")).ToHaveCountAsync(1);
        Assert.Empty(browser.ConsoleErrors);

        static async void DismissOnce(object? sender, IDialog dialog) => await dialog.DismissAsync();
    }

    [Fact]
    public async Task Read_only_key_sees_schedules_with_the_actions_disabled()
    {
        await Recurring.UpsertAsync(new RecurringSchedule
        {
            Name = "nightly-report",
            Cron = "0 3 * * *",
            JobName = "Notify",
            Queue = BrowserJobs.WaitingQueue,
            Payload = """{"user":"ada","message":"m"}"""u8.ToArray(),
        });
        var page = await browser.NewPageAsync(_app.BaseUrl, apiKey: DashboardApp.ReadOnlyKey);
        await page.GotoAsync("/taskqueue/#/schedules");
        var row = page.Locator("tr[data-schedule='nightly-report']");
        await Expect(row).ToBeVisibleAsync();
        foreach (var name in new[] { "Pause nightly-report", "Delete nightly-report" })
        {
            var button = row.GetByRole(AriaRole.Button, new() { Name = name });
            await Expect(button).ToBeDisabledAsync();
            await Expect(button).ToHaveAttributeAsync("title", new Regex("read-only"));
        }

        Assert.False((await Recurring.GetAsync("nightly-report"))!.State.Paused);
        Assert.Empty(browser.ConsoleErrors);
    }
}

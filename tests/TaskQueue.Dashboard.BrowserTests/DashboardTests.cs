using System.Net;
using System.Text.RegularExpressions;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace TaskQueue.Dashboard.BrowserTests;

/// <summary>
/// The dashboard in a real browser (system chromium, headless) against a real app on Kestrel over a real redis-server.
/// What a test sees on the page is checked against what the store holds (through <c>IJobAdmin</c>).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(RedisServerFixture redis, BrowserFixture browser) : IAsyncLifetime
{
    private DashboardApp _app = null!;

    public async Task InitializeAsync() => _app = await DashboardApp.StartAsync(redis);

    public async Task DisposeAsync()
    {
        await browser.ClosePagesAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Overview_shows_each_queues_counts_by_state_after_a_known_workload()
    {
        // 5 pending and 2 scheduled in a queue no worker serves; greetings that succeed; 3 card charges that die.
        for (var i = 0; i < 5; i++)
        {
            await Jobs.Notify.EnqueueAsync(_app.Client, $"user{i}", "Your export is ready");
        }

        for (var i = 0; i < 2; i++)
        {
            await Jobs.Notify.ScheduleAsync(_app.Client, $"later{i}", "Reminder", TimeSpan.FromHours(1));
        }

        var page = await browser.NewPageAsync(_app.BaseUrl, apiKey: DashboardApp.FullKey);
        await page.GotoAsync("/taskqueue/");
        // Jobs keep arriving while the page polls, in a wave, so the throughput chart has lines to draw.
        int[] wave = [1, 3, 5, 8, 6, 4, 2, 3, 6, 9, 7, 4, 2, 1, 2, 4, 7, 5, 3, 2];
        for (var i = 0; i < wave.Length; i++)
        {
            for (var j = 0; j < wave[i]; j++)
            {
                await Jobs.Greet.EnqueueAsync(_app.Client, $"Ada {i}.{j}", 1);
            }

            if (i is 2 or 9 or 15)
            {
                await Jobs.ChargeCard.EnqueueAsync(_app.Client, $"card_{i}", 10m + i);
            }

            await Task.Delay(600);
        }

        var greetings = wave.Sum().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _app.WaitForAsync(BrowserJobs.FailingQueue, s => s.Dead == 3);
        await _app.WaitForAsync(BrowserJobs.WorkQueue, s => s.ProcessedToday == wave.Sum() && s.Pending == 0 && s.Active == 0);

        var waiting = page.Locator($"tr[data-queue='{BrowserJobs.WaitingQueue}'] td");
        await Expect(waiting).ToHaveTextAsync(["5", "2", "0", "0", "0", "0", "0", "Pause"]);
        var failing = page.Locator($"tr[data-queue='{BrowserJobs.FailingQueue}'] td");
        await Expect(failing).ToHaveTextAsync(["0", "0", "0", "0", "3", "0", "3", "Pause"]);
        var work = page.Locator($"tr[data-queue='{BrowserJobs.WorkQueue}'] td");
        await Expect(work).ToHaveTextAsync(["0", "0", "0", "0", "0", greetings, "0", "Pause"]);
        await Expect(page.Locator("[data-metric='pending'] .value")).ToHaveTextAsync("5");
        await Expect(page.Locator("[data-metric='scheduled'] .value")).ToHaveTextAsync("2");
        await Expect(page.Locator("[data-metric='dead'] .value")).ToHaveTextAsync("3");
        await Expect(page.Locator("[data-metric='processed'] .value")).ToHaveTextAsync(greetings);
        await Expect(page.Locator(".worker-list li")).ToHaveCountAsync(1);
        await Expect(page.Locator("svg.chart path.processed")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(page, "dashboard-overview.png");
        Assert.Empty(browser.ConsoleErrors);

        // The queue page lists the waiting queue's jobs by state.
        await page.ClickAsync($"tr[data-queue='{BrowserJobs.WaitingQueue}'] th a");
        await Expect(page.Locator("h1")).ToHaveTextAsync(BrowserJobs.WaitingQueue);
        await Expect(page.Locator("#jobs-table tbody tr")).ToHaveCountAsync(5);
        await Expect(page.Locator(".pager")).ToContainTextAsync("1–5 of 5");
        await page.ClickAsync("nav.tabs a:has-text('Scheduled')");
        await Expect(page.Locator("#jobs-table tbody tr")).ToHaveCountAsync(2);
        await page.ClickAsync("nav.tabs a:has-text('Pending')");
        await Expect(page.Locator("#jobs-table tbody tr")).ToHaveCountAsync(5);
        await Screenshots.SaveAsync(page, "dashboard-queue.png");
    }

    [Fact]
    public async Task Requeueing_a_dead_letter_from_the_page_moves_it_back_to_ready()
    {
        var dead = await Jobs.ChargeCard.EnqueueAsync(_app.Client, "card_42", 42m);
        var other = await Jobs.ChargeCard.EnqueueAsync(_app.Client, "card_43", 43m);
        await _app.WaitForAsync(BrowserJobs.FailingQueue, s => s.Dead == 2);
        // Paused, so the requeued job stays ready instead of failing again at once.
        await _app.Admin.PauseAsync(BrowserJobs.FailingQueue);

        var page = await browser.NewPageAsync(_app.BaseUrl, apiKey: DashboardApp.FullKey);
        await page.GotoAsync("/taskqueue/#/dead-letters/" + BrowserJobs.FailingQueue);
        await Expect(page.Locator("#dead-letters-table tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator($"tr[data-job='{dead}'] .error-cell")).ToContainTextAsync("declined for 42.00");
        await page.FillAsync("#dl-error", "card_42");
        await Expect(page.Locator("#dead-letters-table tbody tr")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(page, "dashboard-dead-letters.png");

        await page.Locator($"tr[data-job='{dead}']").GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Requeue") }).ClickAsync();

        await Expect(page.Locator(".toasts")).ToContainTextAsync("Dead letter requeued.");
        var stats = await _app.WaitForAsync(BrowserJobs.FailingQueue, s => s.Pending == 1 && s.Dead == 1);
        Assert.Equal(1, stats.Pending);
        var job = await _app.Admin.GetJobAsync(BrowserJobs.FailingQueue, dead);
        Assert.Equal(JobState.Pending, job!.State);
        Assert.Equal(JobState.Dead, (await _app.Admin.GetJobAsync(BrowserJobs.FailingQueue, other))!.State);
        await Expect(page.Locator("#dl-queue")).ToContainTextAsync("(1)");
    }

    [Fact]
    public async Task Dead_letters_requeue_the_selected_and_delete_every_match_of_a_filter()
    {
        var ids = new List<JobId>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await Jobs.ChargeCard.EnqueueAsync(_app.Client, $"card_{i}", i));
        }

        await _app.WaitForAsync(BrowserJobs.FailingQueue, s => s.Dead == 4);
        await _app.Admin.PauseAsync(BrowserJobs.FailingQueue);
        var page = await browser.NewPageAsync(_app.BaseUrl, apiKey: DashboardApp.FullKey);
        await page.GotoAsync("/taskqueue/#/dead-letters");
        await Expect(page.Locator("#dead-letters-table tbody tr")).ToHaveCountAsync(4);

        await page.Locator($"tr[data-job='{ids[0]}'] input[type=checkbox]").CheckAsync();
        await page.Locator($"tr[data-job='{ids[1]}'] input[type=checkbox]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Requeue selected (2)" }).ClickAsync();
        await Expect(page.Locator(".toasts")).ToContainTextAsync("2 dead letters requeued.");
        await Expect(page.Locator("#dead-letters-table tbody tr")).ToHaveCountAsync(2);
        Assert.Equal(JobState.Pending, (await _app.Admin.GetJobAsync(BrowserJobs.FailingQueue, ids[1]))!.State);

        // "card_3" matches one of the two left; deleting every match asks first and removes only that one.
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.FillAsync("#dl-error", "card_3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete all matching" }).ClickAsync();
        await Expect(page.Locator(".toasts")).ToContainTextAsync("1 dead letter deleted.");
        Assert.Null(await _app.Admin.GetJobAsync(BrowserJobs.FailingQueue, ids[3]));
        Assert.Equal(JobState.Dead, (await _app.Admin.GetJobAsync(BrowserJobs.FailingQueue, ids[2]))!.State);
        Assert.Equal(1, (await _app.Admin.GetQueueStatsAsync(BrowserJobs.FailingQueue)).Dead);
    }

    [Fact]
    public async Task A_hidden_tab_stops_polling_and_a_visible_one_resumes()
    {
        var page = await browser.NewPageAsync(_app.BaseUrl, apiKey: DashboardApp.FullKey);
        var polls = 0;
        page.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/api/v1/stats", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref polls);
            }
        };
        await page.GotoAsync("/taskqueue/");
        await Expect(page.Locator("[data-metric='pending']")).ToBeVisibleAsync();
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref polls) >= 2), "the page polls stats", TimeSpan.FromSeconds(15));

        await SetHiddenAsync(page, true);
        await Task.Delay(500); // a request already under way may finish
        var before = Volatile.Read(ref polls);
        await Task.Delay(5000);
        Assert.Equal(before, Volatile.Read(ref polls));
        await Expect(page.Locator(".live")).ToHaveTextAsync("Paused");

        await SetHiddenAsync(page, false);
        await Expect(page.Locator(".live")).ToHaveTextAsync("Live");
        Assert.True(Volatile.Read(ref polls) > before);
    }

    /// <summary>What the browser does when the tab goes to the background or comes back.</summary>
    private static Task SetHiddenAsync(IPage page, bool hidden) => page.EvaluateAsync(
        "hidden => { Object.defineProperty(document, 'hidden', { value: hidden, configurable: true }); document.dispatchEvent(new Event('visibilitychange')); }",
        hidden);

    [Fact]
    public async Task Job_page_shows_the_arguments_and_each_attempts_error_with_its_stack()
    {
        var id = await Jobs.ChargeCard.EnqueueAsync(_app.Client, "card_7", 7.5m);
        await _app.WaitForAsync(BrowserJobs.FailingQueue, s => s.Dead == 1);

        var page = await browser.NewPageAsync(_app.BaseUrl, apiKey: DashboardApp.FullKey);
        await page.GotoAsync($"/taskqueue/#/queues/{BrowserJobs.FailingQueue}/jobs/{id}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("ChargeCard");
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("dead");
        await Expect(page.Locator("#job-arguments")).ToContainTextAsync("\"cardId\": \"card_7\"");
        await Expect(page.Locator("#job-arguments")).ToContainTextAsync("7.5");
        var errors = page.Locator("#job-errors");
        await Expect(errors).ToContainTextAsync("Attempt 1");
        await Expect(errors).ToContainTextAsync("System.InvalidOperationException: Card card_7 was declined for 7.50: gateway retired.");
        await Expect(errors.Locator("pre.stack")).ToContainTextAsync("BrowserJobs.ChargeCard");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Requeue" })).ToBeEnabledAsync();
        await Screenshots.SaveAsync(page, "dashboard-job.png");
    }

    [Fact]
    public async Task Job_page_runs_a_scheduled_job_now_and_deletes_a_job_after_confirmation()
    {
        var id = await Jobs.Notify.ScheduleAsync(_app.Client, "ada", "Reminder", TimeSpan.FromHours(1));
        var page = await browser.NewPageAsync(_app.BaseUrl, apiKey: DashboardApp.FullKey);
        await page.GotoAsync($"/taskqueue/#/queues/{BrowserJobs.WaitingQueue}/jobs/{id}");
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("scheduled");

        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("pending");
        Assert.Equal(JobState.Pending, (await _app.Admin.GetJobAsync(BrowserJobs.WaitingQueue, id))!.State);

        // Delete asks first: dismissed, nothing happens; accepted, the job is gone and the page returns to the queue.
        page.Dialog += DismissOnce;
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("pending");
        Assert.NotNull(await _app.Admin.GetJobAsync(BrowserJobs.WaitingQueue, id));
        page.Dialog -= DismissOnce;
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(BrowserJobs.WaitingQueue);
        Assert.Null(await _app.Admin.GetJobAsync(BrowserJobs.WaitingQueue, id));

        static async void DismissOnce(object? sender, IDialog dialog) => await dialog.DismissAsync();
    }

    [Fact]
    public async Task Markup_in_job_data_is_shown_as_text_never_run()
    {
        const string markup = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>";
        var id = await Jobs.ChargeCard.EnqueueAsync(_app.Client, markup, 1m);
        await _app.WaitForAsync(BrowserJobs.FailingQueue, s => s.Dead == 1);
        var page = await browser.NewPageAsync(_app.BaseUrl, apiKey: DashboardApp.FullKey);

        await page.GotoAsync("/taskqueue/#/dead-letters/" + BrowserJobs.FailingQueue);
        await Expect(page.Locator($"tr[data-job='{id}'] .error-cell")).ToContainTextAsync("<img src=x");
        await page.GotoAsync($"/taskqueue/#/queues/{BrowserJobs.FailingQueue}/jobs/{id}");
        await Expect(page.Locator("#job-errors")).ToContainTextAsync("<script>document.title='pwned'</script>");
        await Expect(page.Locator("#job-arguments")).ToContainTextAsync("<img src=x");

        Assert.Equal(0, await page.Locator("main img, main script").CountAsync());
        Assert.Equal("TaskQueue", await page.TitleAsync());
    }

    [Fact]
    public async Task Enqueue_form_built_from_the_jobs_schema_creates_a_job_that_runs()
    {
        var page = await browser.NewPageAsync(_app.BaseUrl, apiKey: DashboardApp.FullKey);
        await page.GotoAsync("/taskqueue/#/enqueue/Greet");
        await page.GetByLabel("name", new() { Exact = false }).First.FillAsync("Grace");
        await page.FillAsync("#arg-times", "2");
        await Screenshots.SaveAsync(page, "dashboard-enqueue.png");
        await page.ClickAsync("#enqueue-submit");

        var created = page.Locator("#enqueue-result a");
        await Expect(created).ToContainTextAsync("Greet");
        await created.ClickAsync();
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("succeeded");
        await Expect(page.Locator("#job-result")).ToContainTextAsync("Hello, Grace! Hello, Grace!");

        var stats = await _app.Admin.GetQueueStatsAsync(BrowserJobs.WorkQueue);
        Assert.Equal(1, stats.ProcessedToday);
        var page0 = await _app.Admin.ListJobsAsync(BrowserJobs.WorkQueue, Admin.JobListState.Succeeded, 0, 10);
        var job = Assert.Single(page0.Jobs);
        Assert.Contains("\"Grace\"", System.Text.Encoding.UTF8.GetString(job.Payload.Span));
    }

    [Fact]
    public async Task Without_a_valid_key_the_dashboard_shows_sign_in_and_the_api_refuses()
    {
        var page = await browser.NewPageAsync(_app.BaseUrl);
        var response = await page.GotoAsync("/taskqueue/");
        Assert.Equal(200, response!.Status);
        Assert.Contains("frame-ancestors 'none'", response.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers["x-content-type-options"]);
        await Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        await Expect(page.Locator("nav.nav")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "dashboard-signin.png");

        await page.GetByLabel("API key").FillAsync("not-a-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("refused (401)");
        await Expect(page.Locator("nav.nav")).ToHaveCountAsync(0);

        using var http = new HttpClient { BaseAddress = new Uri(_app.BaseUrl) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/taskqueue/api/v1/stats")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync($"/taskqueue/api/v1/queues/{BrowserJobs.WorkQueue}/pause", null)).StatusCode);
        Assert.False((await _app.Admin.GetQueueStatsAsync(BrowserJobs.WorkQueue)).Paused);

        await page.GetByLabel("API key").FillAsync(DashboardApp.FullKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        Assert.Equal(DashboardApp.FullKey, await page.EvaluateAsync<string>("sessionStorage.getItem('taskqueue.key')"));
    }

    [Fact]
    public async Task Read_only_key_sees_everything_with_the_actions_disabled()
    {
        await Jobs.Notify.EnqueueAsync(_app.Client, "ada", "hello");
        var page = await browser.NewPageAsync(_app.BaseUrl, apiKey: DashboardApp.ReadOnlyKey);
        await page.GotoAsync("/taskqueue/");
        var pause = page.Locator($"tr[data-queue='{BrowserJobs.WaitingQueue}'] button");
        await Expect(pause).ToBeDisabledAsync();
        await Expect(pause).ToHaveAttributeAsync("title", new Regex("read-only"));
        await Expect(page.Locator(".topbar .badge")).ToHaveTextAsync("Read-only");
    }

    [Fact]
    public async Task On_a_phone_sized_screen_pages_do_not_scroll_sideways()
    {
        var id = await Jobs.ChargeCard.EnqueueAsync(_app.Client, "card_9", 9m);
        await Jobs.Notify.EnqueueAsync(_app.Client, "ada", "hello");
        await _app.WaitForAsync(BrowserJobs.FailingQueue, s => s.Dead == 1);
        var page = await browser.NewPageAsync(_app.BaseUrl, apiKey: DashboardApp.FullKey);
        await page.SetViewportSizeAsync(390, 844);
        foreach (var (path, ready) in new[]
        {
            ("/taskqueue/", $"tr[data-queue='{BrowserJobs.FailingQueue}']"),
            ($"/taskqueue/#/queues/{BrowserJobs.FailingQueue}/jobs/{id}", "#job-errors pre.stack"),
            ("/taskqueue/#/dead-letters/" + BrowserJobs.FailingQueue, "#dead-letters-table"),
        })
        {
            await page.GotoAsync(path);
            await Expect(page.Locator(ready)).ToBeVisibleAsync();
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            var culprits = await page.EvaluateAsync<string>("""
                () => [...document.querySelectorAll('body *')]
                  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                    && e.parentElement.getBoundingClientRect().right <= document.documentElement.clientWidth + 1)
                  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')
                """);
            Assert.True(overflow <= 0, $"{path} scrolls sideways by {overflow} px on a 390 px wide screen: {culprits}");
        }

        await page.GotoAsync("/taskqueue/");
        await Expect(page.Locator($"tr[data-queue='{BrowserJobs.FailingQueue}']")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "dashboard-phone.png", readme: false);
    }

    [Theory]
    [InlineData(ColorScheme.Light, "dashboard-overview-light.png")]
    [InlineData(ColorScheme.Dark, "dashboard-overview-dark.png")]
    public async Task Dark_and_light_themes_render_and_the_toggle_switches(ColorScheme scheme, string screenshot)
    {
        await Jobs.Notify.EnqueueAsync(_app.Client, "ada", "hello");
        await Jobs.ChargeCard.EnqueueAsync(_app.Client, "card_1", 1m);
        await _app.WaitForAsync(BrowserJobs.FailingQueue, s => s.Dead == 1);
        var page = await browser.NewPageAsync(_app.BaseUrl, scheme, DashboardApp.FullKey);
        await page.GotoAsync("/taskqueue/");
        await Expect(page.Locator($"tr[data-queue='{BrowserJobs.WaitingQueue}']")).ToBeVisibleAsync();
        var dark = scheme == ColorScheme.Dark;
        Assert.Equal(dark, await IsDarkAsync(page));
        await Screenshots.SaveAsync(page, screenshot);

        await page.ClickAsync("#theme-toggle");
        Assert.Equal(!dark, await IsDarkAsync(page));
        await page.ReloadAsync();
        await Expect(page.Locator($"tr[data-queue='{BrowserJobs.WaitingQueue}']")).ToBeVisibleAsync();
        Assert.Equal(!dark, await IsDarkAsync(page));
    }

    /// <summary>True when the page's background is dark (relative luminance under 0.2).</summary>
    private static async Task<bool> IsDarkAsync(IPage page)
    {
        var luminance = await page.EvaluateAsync<double>("""
            () => {
              const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
              return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
            }
            """);
        return luminance < 0.2;
    }
}

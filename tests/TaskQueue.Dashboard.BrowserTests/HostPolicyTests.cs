using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace TaskQueue.Dashboard.BrowserTests;

/// <summary>
/// A host that signs operators in with its own cookie and authorization policy: the dashboard needs no key, and its
/// actions carry the CSRF header the API requires of cookie-authorized calls.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HostPolicyTests(RedisServerFixture redis, BrowserFixture browser) : IAsyncLifetime
{
    private DashboardApp _app = null!;

    public async Task InitializeAsync() => _app = await DashboardApp.StartAsync(
        redis.ConnectionString,
        runWorker: true,
        dashboard: o => o.AuthorizationPolicy = "operators",
        configureBuilder: builder =>
        {
            builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
            builder.Services.AddAuthorizationBuilder().AddPolicy("operators", p => p.RequireAuthenticatedUser());
        },
        configureApp: app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
            // The host's own sign-in (a real app would check a password or an identity provider).
            app.MapGet("/login", async (HttpContext http) =>
            {
                await http.SignInAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ops")], CookieAuthenticationDefaults.AuthenticationScheme)));
                return Results.Redirect("/taskqueue/");
            });
        });

    public async Task DisposeAsync()
    {
        await browser.ClosePagesAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Signed_in_by_the_host_the_dashboard_needs_no_key_and_its_actions_pass_the_csrf_check()
    {
        await Jobs.Notify.EnqueueAsync(_app.Client, "ada", "hello");
        var page = await browser.NewPageAsync(_app.BaseUrl);

        await page.GotoAsync("/taskqueue/");
        await Expect(page.GetByLabel("API key")).ToBeVisibleAsync();

        await page.GotoAsync("/login");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);

        // Without the CSRF header the API would refuse this POST (403): the page sends it.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Pause {BrowserJobs.WaitingQueue}" }).ClickAsync();
        await Expect(page.Locator(".toasts")).ToContainTextAsync($"{BrowserJobs.WaitingQueue} paused.");
        Assert.True((await _app.Admin.GetQueueStatsAsync(BrowserJobs.WaitingQueue)).Paused);
        await Expect(page.Locator($"tr[data-queue='{BrowserJobs.WaitingQueue}'] .badge")).ToHaveTextAsync("Paused");

        // The same cookie without the header, as a cross-site form would send it: refused.
        var refused = await page.APIRequest.PostAsync($"/taskqueue/api/v1/queues/{BrowserJobs.WaitingQueue}/resume");
        Assert.Equal(403, refused.Status);
        Assert.True((await _app.Admin.GetQueueStatsAsync(BrowserJobs.WaitingQueue)).Paused);
    }
}

using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.Tests;

/// <summary>
/// Access: full key, read-only key, wrong or no key, the host's policy (with CSRF checks on actions) and authentication
/// off. A refused call answers 401/403 with problem details and changes nothing.
/// </summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class AuthTests(RedisServerFixture redis)
{
    private const string CreateMail = ApiApp.Api + "/job-types/SendEmail/jobs";
    private const string SeedSchedule = "api-seed-schedule";
    private const string MailBody = """{"arguments":{"to":"a@example.com","subject":"s"}}""";

    /// <summary>Every secured endpoint: method, path, body (reads first, then actions).</summary>
    public static readonly (string Method, string Path, string? Body)[] Endpoints =
    [
        ("GET", "/stats", null),
        ("GET", "/status", null),
        ("GET", "/workers", null),
        ("GET", "/job-types", null),
        ("GET", "/job-types/SendEmail", null),
        ("GET", "/queues", null),
        ("GET", "/queues/api-mail", null),
        ("GET", "/queues/api-mail/daily-totals?days=3", null),
        ("GET", "/queues/api-mail/jobs?state=pending", null),
        ("GET", "/queues/api-mail/jobs/{id}", null),
        ("GET", "/queues/api-mail/dead-letters", null),
        ("GET", "/schedules", null),
        ("GET", "/schedules/" + SeedSchedule, null),
        ("POST", "/queues/api-mail/jobs/{id}/run-now", null),
        ("POST", "/queues/api-mail/dead-letters/{id}/requeue", null),
        ("DELETE", "/queues/api-mail/dead-letters/{id}", null),
        ("POST", "/queues/api-mail/dead-letters/requeue", "{\"all\":true}"),
        ("POST", "/queues/api-mail/dead-letters/delete", "{\"jobName\":\"SendEmail\"}"),
        ("POST", "/queues/api-mail/pause", null),
        ("POST", "/queues/api-mail/resume", null),
        ("POST", "/schedules/" + SeedSchedule + "/pause", null),
        ("POST", "/schedules/" + SeedSchedule + "/resume", null),
        ("DELETE", "/schedules/" + SeedSchedule, null),
        ("POST", "/job-types/SendEmail/jobs", MailBody),
        ("POST", "/job-types/{name}/jobs", MailBody),
        ("POST", "/jobs/bulk", "{\"jobs\":[{\"name\":\"SendEmail\",\"arguments\":{\"to\":\"a\",\"subject\":\"s\"}}]}"),
        ("POST", "/queues/api-mail/jobs/{id}/cancel", null),
        ("DELETE", "/queues/api-mail/jobs/{id}", null),
    ];

    [Theory]
    [InlineData(StoreKind.Memory, null)]
    [InlineData(StoreKind.Memory, "wrong-key")]
    [InlineData(StoreKind.Redis, null)]
    [InlineData(StoreKind.Redis, "wrong-key")]
    public async Task Without_a_valid_key_every_endpoint_is_401_and_nothing_changes(StoreKind store, string? key)
    {
        await using var app = await ApiApp.StartAsync(store, redis);
        var id = await SeedAsync(app);
        foreach (var (method, path, body) in Endpoints)
        {
            using var response = await app.SendAsync(new HttpMethod(method), ApiApp.Api + Fill(path, id), key, body);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal(401, (await Problem.ReadAsync(response)).Status);
            Assert.Contains(TaskQueueDashboardOptions.ApiKeyHeader, response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        await AssertUnchangedAsync(app, id);
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Read_only_key_reads_but_every_action_is_403_and_nothing_changes(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis);
        var id = await SeedAsync(app);
        foreach (var (method, path, body) in Endpoints)
        {
            using var response = await app.SendAsync(new HttpMethod(method), ApiApp.Api + Fill(path, id), ApiApp.ReadOnlyKey, body);
            if (method == "GET")
            {
                Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode}");
                await Problem.ReadAsync(response);
            }
        }

        await AssertUnchangedAsync(app, id);
    }

    [Theory]
    [InlineData(StoreKind.Memory, false)]
    [InlineData(StoreKind.Memory, true)]
    [InlineData(StoreKind.Redis, false)]
    [InlineData(StoreKind.Redis, true)]
    public async Task Full_key_or_authentication_off_reaches_every_endpoint(StoreKind store, bool authOff)
    {
        await using var app = await ApiApp.StartAsync(store, redis, dashboard: o => o.DisableAuthentication = authOff);
        var id = await SeedAsync(app);
        foreach (var (method, path, body) in Endpoints)
        {
            using var response = await app.SendAsync(new HttpMethod(method), ApiApp.Api + Fill(path, id), authOff ? null : ApiApp.FullKey, body);
            // Actions on a job in the wrong state answer 404 (run-now on a pending job, requeue of a non-dead letter): still authorized.
            Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound,
                $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        // The schedule actions paused, resumed and deleted the seeded schedule.
        Assert.Null(await app.App.Services.GetRequiredService<Scheduling.IRecurringJobClient>().GetAsync(SeedSchedule));
        // The last two actions cancelled and deleted the seeded job; the creates stored three more.
        Assert.Null(await app.Admin.GetJobAsync(ApiJobs.MailQueue, new JobId(id)));
        Assert.Equal(3, (await app.Admin.GetQueueStatsAsync(ApiJobs.MailQueue)).Pending);
    }

    [Fact]
    public async Task Read_only_mode_refuses_actions_even_with_a_full_key()
    {
        await using var app = await ApiApp.StartAsync(StoreKind.Memory, dashboard: o => o.ReadOnly = true);
        using var read = await app.SendAsync(HttpMethod.Get, ApiApp.Api + "/stats");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var create = await app.SendAsync(HttpMethod.Post, CreateMail, json: MailBody);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        await Problem.ReadAsync(create);
        Assert.Equal(0, await app.StoredJobsAsync());
    }

    [Fact]
    public async Task No_key_and_no_policy_configured_refuses_everything_and_warns_at_start()
    {
        await using var app = await ApiApp.StartAsync(StoreKind.Memory, dashboard: o =>
        {
            o.ApiKeys.Clear();
            o.ReadOnlyApiKeys.Clear();
        });
        using var response = await app.SendAsync(HttpMethod.Get, ApiApp.Api + "/stats", key: "anything");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var none = await app.SendAsync(HttpMethod.Get, ApiApp.Api + "/stats", key: null);
        Assert.Contains("no API key or authorization policy", (await Problem.ReadAsync(none)).Detail, StringComparison.Ordinal);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("every call is refused", StringComparison.Ordinal));
        using var health = await app.SendAsync(HttpMethod.Get, ApiApp.Api + "/health", key: null);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Host_policy_lets_signed_in_users_read_and_act_only_with_the_csrf_header_from_the_same_origin()
    {
        await using var app = await ApiApp.StartAsync(StoreKind.Memory,
            dashboard: o =>
            {
                o.AuthorizationPolicy = "operators";
                o.ActionsAuthorizationPolicy = "admins";
            },
            configureBuilder: b =>
            {
                b.Services.AddAuthentication(TestUserHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestUserHandler>(TestUserHandler.SchemeName, null);
                b.Services.AddAuthorizationBuilder()
                    .AddPolicy("operators", p => p.RequireAuthenticatedUser())
                    .AddPolicy("admins", p => p.RequireRole("admin"));
            },
            configureApp: a =>
            {
                a.UseAuthentication();
                a.UseAuthorization();
            });

        void User(HttpRequestMessage r, string user) => r.Headers.Add(TestUserHandler.Header, user);
        void Csrf(HttpRequestMessage r) => r.Headers.Add(TaskQueueDashboardOptions.CsrfHeader, "1");

        using (var anonymous = await app.SendAsync(HttpMethod.Get, ApiApp.Api + "/stats", key: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            await Problem.ReadAsync(anonymous);
        }

        using (var read = await app.SendAsync(HttpMethod.Get, ApiApp.Api + "/stats", key: null, configure: r => User(r, "ops")))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        // A cookie-style sign-in without the custom header: what a cross-site form would send.
        using (var noHeader = await app.SendAsync(HttpMethod.Post, CreateMail, key: null, json: MailBody, configure: r => User(r, "boss:admin")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, noHeader.StatusCode);
            Assert.Contains(TaskQueueDashboardOptions.CsrfHeader, (await Problem.ReadAsync(noHeader)).Detail, StringComparison.Ordinal);
        }

        using (var crossSite = await app.SendAsync(HttpMethod.Post, CreateMail, key: null, json: MailBody, configure: r =>
        {
            User(r, "boss:admin");
            Csrf(r);
            r.Headers.Add("Sec-Fetch-Site", "cross-site");
        }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        }

        using (var otherOrigin = await app.SendAsync(HttpMethod.Post, CreateMail, key: null, json: MailBody, configure: r =>
        {
            User(r, "boss:admin");
            Csrf(r);
            r.Headers.Add("Origin", "https://evil.example");
        }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, otherOrigin.StatusCode);
        }

        using (var notAdmin = await app.SendAsync(HttpMethod.Post, CreateMail, key: null, json: MailBody, configure: r =>
        {
            User(r, "ops");
            Csrf(r);
        }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        }

        Assert.Equal(0, await app.StoredJobsAsync());

        using (var ok = await app.SendAsync(HttpMethod.Post, CreateMail, key: null, json: MailBody, configure: r =>
        {
            User(r, "boss:admin");
            Csrf(r);
            r.Headers.Add("Sec-Fetch-Site", "same-origin");
            r.Headers.Add("Origin", app.Http.BaseAddress!.GetLeftPart(UriPartial.Authority));
        }))
        {
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        // An API key still works beside the policy (scripts), and needs no CSRF header.
        using (var script = await app.SendAsync(HttpMethod.Post, CreateMail, json: MailBody))
        {
            Assert.Equal(HttpStatusCode.Created, script.StatusCode);
        }

        Assert.Equal(2, await app.StoredJobsAsync());
    }

    [Fact]
    public async Task Authentication_off_on_a_non_loopback_bind_logs_a_clear_warning()
    {
        await using (var open = await ApiApp.StartAsync(StoreKind.Memory, dashboard: o => o.DisableAuthentication = true, listen: "0.0.0.0"))
        {
            Assert.Contains(open.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("authentication is OFF", StringComparison.Ordinal));
        }

        await using var loopback = await ApiApp.StartAsync(StoreKind.Memory, dashboard: o => o.DisableAuthentication = true);
        Assert.DoesNotContain(loopback.Logs.Entries, e => e.Message.Contains("authentication is OFF", StringComparison.Ordinal));
    }

    private static string Fill(string path, string id) => path.Replace("{id}", id, StringComparison.Ordinal).Replace("{name}", "SendEmail", StringComparison.Ordinal);

    /// <summary>One pending job in api-mail, created through the store's admin-free path (the client), and one schedule.</summary>
    private static async Task<string> SeedAsync(ApiApp app)
    {
        await app.App.Services.GetRequiredService<Scheduling.IRecurringJobClient>().UpsertAsync(new Scheduling.RecurringSchedule
        {
            Name = SeedSchedule,
            Cron = "0 3 1 1 *",
            JobName = "SendEmail",
            Queue = ApiJobs.MailQueue,
            Payload = """{"to":"seed@example.com","subject":"yearly"}"""u8.ToArray(),
        });
        var id = await Jobs.SendEmail.EnqueueAsync(app.App.Services.GetRequiredService<Client.IJobClient>(), "seed@example.com", "seed");
        return id.Value;
    }

    private static async Task AssertUnchangedAsync(ApiApp app, string id)
    {
        var stats = await app.Admin.GetQueueStatsAsync(ApiJobs.MailQueue);
        Assert.Equal(1, stats.Pending);
        Assert.False(stats.Paused);
        Assert.Equal(1, await app.StoredJobsAsync());
        Assert.Equal(Storage.JobState.Pending, (await app.Admin.GetJobAsync(ApiJobs.MailQueue, new JobId(id)))!.State);
        var schedule = await app.App.Services.GetRequiredService<Scheduling.IRecurringJobClient>().GetAsync(SeedSchedule);
        Assert.False(schedule!.State.Paused);
    }

    /// <summary>Signs in the user named by a header (<c>name</c> or <c>name:role</c>), like a cookie would.</summary>
    private sealed class TestUserHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "TestUser";
        public const string Header = "X-Test-User";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers[Header].ToString() is not { Length: > 0 } value)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var parts = value.Split(':');
            var claims = new List<Claim> { new(ClaimTypes.Name, parts[0]) };
            if (parts.Length > 1)
            {
                claims.Add(new Claim(ClaimTypes.Role, parts[1]));
            }

            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
        }
    }
}

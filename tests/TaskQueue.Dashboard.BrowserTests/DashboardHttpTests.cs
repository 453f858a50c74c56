using System.Net;
using System.Net.Http.Headers;
using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.BrowserTests;

/// <summary>How the dashboard's page and assets are served, over plain HTTP (no browser needed).</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardHttpTests(RedisServerFixture redis) : IAsyncLifetime
{
    private DashboardApp _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _app = await DashboardApp.StartAsync(redis);
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_app.BaseUrl) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Page_is_served_with_a_strict_content_security_policy_and_no_framing()
    {
        using var response = await _http.GetAsync("/taskqueue/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefix_without_a_slash_redirects_so_relative_asset_urls_resolve()
    {
        using var response = await _http.GetAsync("/taskqueue");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/taskqueue/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("assets/js/app.js", "text/javascript")]
    [InlineData("assets/js/pages/overview.js", "text/javascript")]
    [InlineData("assets/app.css", "text/css")]
    [InlineData("assets/favicon.svg", "image/svg+xml")]
    public async Task Assets_have_their_content_type_and_an_etag_that_revalidates_to_304(string path, string contentType)
    {
        using var first = await _http.GetAsync("/taskqueue/" + path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(contentType, first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", first.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(first.Headers.CacheControl?.NoCache, "assets must revalidate so an upgrade shows at once");
        var etag = first.Headers.ETag ?? throw new Xunit.Sdk.XunitException("no ETag");

        using var again = new HttpRequestMessage(HttpMethod.Get, "/taskqueue/" + path);
        again.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag));
        using var second = await _http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/taskqueue/assets/")]
    [InlineData("/taskqueue/assets/js/")]
    [InlineData("/taskqueue/assets/nope.js")]
    [InlineData("/taskqueue/assets/index.html")]
    [InlineData("/taskqueue/assets/%2e%2e/%2e%2e/appsettings.json")]
    [InlineData("/taskqueue/assets/..%2F..%2FTaskQueue.Dashboard.dll")]
    public async Task Only_embedded_files_are_served_no_listing_no_escape(string path)
    {
        using var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Access_endpoint_tells_full_from_read_only_keys_and_refuses_others()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync("/taskqueue/api/v1/access")).StatusCode);
        Assert.Contains("\"canAct\":true", await GetAccessAsync(DashboardApp.FullKey), StringComparison.Ordinal);
        Assert.Contains("\"canAct\":false", await GetAccessAsync(DashboardApp.ReadOnlyKey), StringComparison.Ordinal);
    }

    private async Task<string> GetAccessAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/taskqueue/api/v1/access");
        request.Headers.Add(TaskQueueDashboardOptions.ApiKeyHeader, key);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}

using System.Net;
using System.Text;
using CsCheck;

namespace TaskQueue.Dashboard.Tests;

/// <summary>Random and mutated bodies and paths never yield a 5xx, and every error is problem details.</summary>
public sealed class FuzzTests
{
    private static readonly string[] Valid =
    [
        """{"arguments":{"to":"a@example.com","subject":"s","retryAfterSeconds":3},"priority":"low","delay":"00:00:05"}""",
        """{"arguments":{"order":{"number":"1","lines":[{"sku":"a","quantity":2}],"note":null},"tier":"Pro","tags":{"k":"v"}}}""",
        """{"jobs":[{"name":"SendEmail","arguments":{"to":"a","subject":"s"}},{"name":"reports:daily","arguments":{"day":"2026-02-01"}}]}""",
        """{"ids":["abc","def"]}""",
        """{"jobName":"SendEmail","errorContains":"x"}""",
    ];

    private static readonly string[] Targets =
    [
        "/job-types/SendEmail/jobs", "/job-types/PlaceOrder/jobs", "/job-types/reports:daily/jobs", "/job-types/Unknown/jobs",
        "/jobs/bulk", "/queues/api-mail/dead-letters/requeue", "/queues/api-mail/dead-letters/delete",
    ];

    private static readonly string[] Tokens = ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e309", "-0", "\"\\ud800\"", "\"arguments\"", "\"jobs\"", "\"to\"", "\"name\"", "{}", "[]", "\u0000", "\"\u00e9\""];

    [Fact]
    public async Task Random_bodies_never_yield_a_5xx()
    {
        await using var app = await ApiApp.StartAsync(StoreKind.Memory);
        var mutated = Gen.Select(Gen.OneOf(Valid), Gen.Int[0, 400], Gen.Int[0, 6], Gen.OneOf(Tokens))
            .Select((body, at, cut, token) =>
            {
                var i = Math.Min(at, body.Length);
                return body[..i] + token + body[Math.Min(body.Length, i + cut)..];
            });
        var random = Gen.String[Gen.Char["abcxyz019 {}[]\":,\\-.e"], 0, 200];
        var bodies = Gen.Frequency((3, mutated), (1, random), (1, Gen.OneOf(Tokens)));

        await Gen.Select(Gen.OneOf(Targets), bodies).SampleAsync(async (target, body) =>
        {
            using var response = await app.SendAsync(HttpMethod.Post, ApiApp.Api + target, json: body);
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"POST {target} with {body}: {status} {await response.Content.ReadAsStringAsync()}");
            if (status >= 400)
            {
                await Problem.ReadAsync(response);
            }
        }, iter: 600, threads: 1);
    }

    [Fact]
    public async Task Random_path_and_query_values_never_yield_a_5xx()
    {
        await using var app = await ApiApp.StartAsync(StoreKind.Memory);
        var segment = Gen.String[Gen.Char["abcXYZ019-._%:~! "], 0, 80];
        var number = Gen.OneOf(Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Gen.OneOf("", "x", "1e3", "-", "99999999999"));
        await Gen.Select(segment, segment, number, number, Gen.Int[0, 3]).SampleAsync(async (queue, id, offset, count, shape) =>
        {
            var path = shape switch
            {
                0 => $"/queues/{Uri.EscapeDataString(queue)}/jobs?state={Uri.EscapeDataString(id)}&offset={offset}&count={count}",
                1 => $"/queues/{Uri.EscapeDataString(queue)}/jobs/{Uri.EscapeDataString(id)}",
                2 => $"/queues/{Uri.EscapeDataString(queue)}/dead-letters?offset={offset}&count={count}",
                _ => $"/queues/{Uri.EscapeDataString(queue)}/daily-totals?days={count}",
            };
            using var response = await app.SendAsync(HttpMethod.Get, ApiApp.Api + path);
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"GET {path}: {status} {await response.Content.ReadAsStringAsync()}");
            if (status >= 400)
            {
                await Problem.ReadAsync(response);
            }
        }, iter: 400, threads: 1);
    }
}

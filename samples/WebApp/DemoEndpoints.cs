namespace SampleWebApp;

/// <summary>
/// The demo's own page and <c>POST /demo/burst</c>, which enqueues a mix of jobs through the generated proxies
/// (<c>Jobs.X.EnqueueAsync</c>), as any app would. Demo only: a real app would protect this endpoint.
/// </summary>
public static class DemoEndpoints
{
    public static void MapDemo(this WebApplication app)
    {
        app.MapGet("/", () => Results.Content(HomePage, "text/html; charset=utf-8"));
        app.MapPost("/demo/burst", async (int? count) =>
        {
            var enqueued = await EnqueueBurstAsync(Math.Clamp(count ?? 40, 1, 1000));
            return Results.Ok(new { enqueued });
        });
    }

    /// <summary>Enqueues <paramref name="count"/> jobs: mostly emails, some inventory syncs and reports, a few card charges.</summary>
    public static async Task<int> EnqueueBurstAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            switch (i % 10)
            {
                case 0:
                    await Jobs.GenerateReport.EnqueueAsync($"Weekly sales {i}", 3 + (i % 5));
                    break;
                case 1 or 2:
                    await Jobs.SyncInventory.EnqueueAsync($"WH-{i % 3 + 1}", 20 + i);
                    break;
                case 3 when i % 20 == 3:
                    await Jobs.ChargeLegacyCard.EnqueueAsync($"card_{1000 + i}", 19.99m + i);
                    break;
                default:
                    await Jobs.SendWelcomeEmail.EnqueueAsync($"customer{i}@example.com", $"Customer {i}");
                    break;
            }
        }

        return count;
    }

    private const string HomePage = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>TaskQueue web app sample</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
        <h1>TaskQueue web app sample</h1>
        <p>This app declares four jobs and runs a worker. Enqueue a burst, then watch it in the dashboard.</p>
        <form method="post" action="/demo/burst?count=40"><button type="submit">Enqueue 40 jobs</button></form>
        <p><a href="/taskqueue/">Open the dashboard</a> (sign in with the API key printed at start-up).</p>
        </body></html>
        """;
}

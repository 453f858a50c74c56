using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskQueue.Hosting;
using TaskQueue.Scheduling;
using TaskQueue.Storage;

namespace TaskQueue.IntegrationTests;

[Collection(DefaultClientCollection.Name)]
public sealed class RecurringHostingTests
{
    [Fact]
    public async Task A_host_registers_the_declared_schedules_and_retires_the_ones_no_longer_declared()
    {
        var builder = Host.CreateApplicationBuilder();
        var store = new InMemoryJobStore();
        var app = builder.Environment.ApplicationName;
        var client = new RecurringJobClient(store);
        await client.UpsertAsync(new RecurringSchedule { Name = "removed-declaration", Cron = "0 3 * * *", JobName = "Gone", Queue = "default", DeclaredBy = app });
        await client.UpsertAsync(new RecurringSchedule { Name = "someone-elses", Cron = "0 3 * * *", JobName = "Gone", Queue = "default", DeclaredBy = "other-app" });
        builder.Services.AddTaskQueue(o => o.UseStore(_ => store));
        builder.Services.AddTaskQueueIntegrationTestsJobs();
        using var host = builder.Build();

        await host.StartAsync();
        var names = await EventuallyAsync(async () => (await client.ListAsync()).Select(s => s.Name).ToList(), n => !n.Contains("removed-declaration"));
        await host.StopAsync();

        Assert.Equal(["NewYear", "hosting-yearly-report", "someone-elses"], names);
        var newYear = (await client.GetAsync("NewYear"))!.State.Schedule;
        Assert.Equal(("0 0 1 1 *", "Europe/Berlin", RecurringHostingJobs.Queue, app), (newYear.Cron, newYear.TimeZone, newYear.Queue, newYear.DeclaredBy));
        var report = (await client.GetAsync("hosting-yearly-report"))!.State.Schedule;
        Assert.Equal(MisfirePolicy.Skip, report.Misfire);
        Assert.Equal("{\"region\":\"eu\",\"year\":2026}", System.Text.Encoding.UTF8.GetString(report.Payload.Span));
    }

    [Fact]
    public async Task The_generated_proxy_schedules_a_recurring_job_that_the_hosted_scheduler_and_worker_run()
    {
        RecurringHostingJobs.Seen.Clear();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddTaskQueue(o =>
        {
            o.Worker.Queues = [RecurringHostingJobs.Queue];
            o.Worker.PollInterval = TimeSpan.FromMilliseconds(50);
        });
        builder.Services.AddTaskQueueIntegrationTestsJobs();
        using var host = builder.Build();
        await host.StartAsync();

        var info = await Jobs.RecurringTick.ScheduleRecurringAsync("every-second", "* * * * * *", "us", 2027);
        var ran = await EventuallyAsync(() => Task.FromResult(RecurringHostingJobs.Seen.ToList()), seen => seen.Count >= 2, TimeSpan.FromSeconds(20));
        await Jobs.RecurringTick.ScheduleRecurringAsync("every-second", "0 0 1 1 *", "us", 2027);
        await host.StopAsync();

        Assert.Equal("RecurringTick", info.State.Schedule.JobName);
        Assert.All(ran.Take(2), s => Assert.StartsWith("us:2027:rec-", s, StringComparison.Ordinal));
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            value = await read();
        }

        return value;
    }
}

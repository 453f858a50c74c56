using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ShopApp;
using TaskQueue;
using TaskQueue.Client;
using TaskQueue.Hosting;
using TaskQueue.Storage;
using TaskQueue.Testing;

namespace ShopApp.Tests;

/// <summary>What an app's own tests do with TaskQueue.Testing: assert typed enqueues, then run the jobs.</summary>
public sealed class HarnessTests : IAsyncLifetime
{
    private ServiceProvider _services = null!;
    private JobTestHarness _harness = null!;
    private OrderService _orders = null!;

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddTaskQueue();
        services.AddTaskQueueTestingTestsJobs();
        services.AddTaskQueueTesting();
        services.AddSingleton<OrderService>();
        _services = services.BuildServiceProvider();
        _harness = _services.GetRequiredService<JobTestHarness>();
        _orders = _services.GetRequiredService<OrderService>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Enqueued_jobs_are_asserted_with_typed_arguments()
    {
        await _orders.PlaceAsync("o-1", 12.50m, "ada@example.com");

        var charge = Assert.Single(_harness.EnqueuedOf(Jobs.ChargeCard.Definition));
        Jobs.ChargeCard.Deserialize(charge.Payload, out var orderId, out var amount);
        Assert.Equal(("o-1", 12.50m), (orderId, amount));
        var receipt = Assert.Single(_harness.EnqueuedOf(Jobs.SendReceipt.Definition));
        Jobs.SendReceipt.Deserialize(receipt.Payload, out _, out var email);
        Assert.Equal("ada@example.com", email);
        Assert.Equal(_harness.Time.GetUtcNow().AddHours(1), receipt.RunAt);
        Assert.Equal("shop", receipt.Queue);
    }

    [Fact]
    public async Task Run_all_runs_a_retry_and_a_delayed_job_on_the_fake_clock()
    {
        var start = _harness.Time.GetUtcNow();
        await _orders.PlaceAsync("o-2", 99m, "grace@example.com");

        await _harness.RunAllAsync();

        var charge = await _harness.GetJobAsync(_harness.EnqueuedOf(Jobs.ChargeCard.Definition)[0].Id);
        Assert.Equal(JobState.Succeeded, charge.State);
        Assert.Equal(2, charge.Attempt);
        Assert.Contains("card declined for o-2", Assert.Single(charge.Errors).Error, StringComparison.Ordinal);
        Assert.Contains("o-2->grace@example.com", ShopJobs.Receipts);
        Assert.True(_harness.Time.GetUtcNow() >= start.AddHours(1), "the fake clock reached the receipt's due time");
    }

    [Fact]
    public async Task A_job_that_keeps_failing_ends_as_a_dead_letter()
    {
        var id = await Jobs.AlwaysFails.EnqueueAsync(_services.GetRequiredService<IJobClient>(), "o-3");

        await _harness.RunAllAsync();

        var job = await _harness.GetJobAsync(id);
        Assert.Equal(JobState.Dead, job.State);
        Assert.Equal([1, 2], job.Errors.Select(e => e.Attempt));
    }

    [Fact]
    public async Task Arguments_that_would_not_round_trip_fail_where_they_are_enqueued()
    {
        var client = _services.GetRequiredService<IJobClient>();

        var error = await Assert.ThrowsAsync<JobPayloadException>(() => client.EnqueueAsync(Jobs.ChargeCard.Definition, Encoding.UTF8.GetBytes("""{"orderId":"o-4","amount":"lots"}""")).AsTask());

        Assert.Equal("amount", error.Parameter);
        Assert.Contains("would not round-trip", error.Message, StringComparison.Ordinal);
        Assert.Empty(_harness.Enqueued);
    }
}

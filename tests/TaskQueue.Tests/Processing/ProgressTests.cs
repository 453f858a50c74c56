using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.Tests.Processing;

/// <summary><see cref="JobContext.ReportProgressAsync"/>: a handler's progress reaches the store for operators.</summary>
public sealed class ProgressTests
{
    [Fact]
    public async Task A_handler_reports_progress_that_operators_read_while_it_runs()
    {
        await using var h = new WorkerHarness();
        var reported = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = h.Registry.Add("long-report", async context =>
        {
            reported.TrySetResult(await context.ReportProgressAsync(40));
            await release.Task;
        });
        h.Start();

        var id = await h.EnqueueAsync(job);
        Assert.True(await reported.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        var running = await h.JobAsync(id);
        release.SetResult();
        await h.UntilStateAsync(id, JobState.Succeeded);

        Assert.Equal(JobState.Active, running.State);
        Assert.Equal(40, running.Progress);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public async Task Progress_out_of_range_is_refused_naming_the_job(double percent)
    {
        var context = new JobContext(JobId.New(), "long-report", "default", 1, DateTimeOffset.UtcNow, new NoServices(), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => context.ReportProgressAsync(percent).AsTask());

        Assert.Contains("long-report", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_context_made_outside_a_worker_records_nothing()
    {
        var context = new JobContext(JobId.New(), "long-report", "default", 1, DateTimeOffset.UtcNow, new NoServices(), CancellationToken.None);

        Assert.False(await context.ReportProgressAsync(50));
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}

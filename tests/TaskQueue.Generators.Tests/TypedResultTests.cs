using System.Text;
using TaskQueue.Generators.Tests.Infrastructure;
using TaskQueue.Storage;

namespace TaskQueue.Generators.Tests;

/// <summary>Compile-and-run: <c>Jobs.X.GetResultAsync(id)</c> reads the stored result back as the job's typed value.</summary>
public sealed class TypedResultTests
{
    private static GeneratedAssembly App => CompiledPrograms.Behaviour;

    private static Type Proxy(string name) => App.Proxy("Behaviour", name);

    private static async Task<dynamic> GetResultAsync(string job, RecordingJobClient client, JobId id, string? queue = null)
    {
        // Generic ValueTask<JobResult<T>>: await it through AsTask() found by reflection (tests only).
        var valueTask = GeneratedAssembly.Call(Proxy(job), "GetResultAsync", client, id, queue, CancellationToken.None)!;
        var task = (Task)valueTask.GetType().GetMethod("AsTask")!.Invoke(valueTask, null)!;
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task)!;
    }

    private static JobInfo Info(JobId id, string name, string queue, JobState state, byte[]? result = null, string? error = null) => new()
    {
        Id = id, Name = name, Queue = queue, Priority = Priority.Normal, State = state, Attempt = 1, MaxRetries = 3,
        Payload = Encoding.UTF8.GetBytes("{}"), EnqueuedAt = DateTimeOffset.UnixEpoch, Result = result, LastError = error,
    };

    [Fact]
    public async Task Succeeded_job_returns_the_value_its_handler_returned_deserialized_with_the_generated_serializer()
    {
        var id = JobId.New();
        var stored = await App.Registry.InvokeAsync("Add", GeneratedAssembly.Serialize(Proxy("Add"), 2, 40), GeneratedAssembly.Context("Add"));
        var client = new RecordingJobClient();
        client.Stored[("default", id)] = Info(id, "Add", "default", JobState.Succeeded, stored);

        var result = await GetResultAsync("Add", client, id);

        Assert.True(result.Succeeded);
        Assert.Equal(42, (int)result.Value);
        Assert.Equal(("default", id), Assert.Single(client.Lookups));
    }

    [Fact]
    public async Task Record_results_come_back_as_records_and_an_explicit_queue_is_the_one_asked()
    {
        var id = JobId.New();
        var order = Activator.CreateInstance(App.Type("Shop.Order"), Guid.NewGuid(), null, null, null, Enum.ToObject(App.Type("Shop.Status"), 1));
        var stored = await App.Registry.InvokeAsync("Echo", GeneratedAssembly.Serialize(Proxy("Echo"), order), GeneratedAssembly.Context("Echo"));
        var client = new RecordingJobClient();
        client.Stored[("rush", id)] = Info(id, "Echo", "rush", JobState.Succeeded, stored);

        var result = await GetResultAsync("Echo", client, id, queue: "rush");

        Assert.Equal(order, (object)result.Value);
    }

    [Fact]
    public async Task Job_that_has_not_succeeded_reports_its_state_and_refuses_a_value_naming_job_and_id()
    {
        var id = JobId.New();
        var client = new RecordingJobClient();
        client.Stored[("default", id)] = Info(id, "Add", "default", JobState.Dead, error: "boom");

        var result = await GetResultAsync("Add", client, id);

        Assert.Equal(JobState.Dead, (JobState?)result.State);
        Assert.Equal("boom", (string)result.LastError);
        Assert.False(result.TryGetValue(out int _));
        var error = Assert.Throws<InvalidOperationException>(() => (object)result.Value);
        Assert.Contains("'Add'", error.Message, StringComparison.Ordinal);
        Assert.Contains(id.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("Dead", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_id_is_a_result_that_does_not_exist()
    {
        var result = await GetResultAsync("Add", new RecordingJobClient(), JobId.New());

        Assert.False((bool)result.Exists);
        Assert.Null((JobState?)result.State);
        var error = Assert.Throws<InvalidOperationException>(() => (object)result.Value);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Id_of_another_job_throws_instead_of_misreading_its_result()
    {
        var id = JobId.New();
        var client = new RecordingJobClient();
        client.Stored[("default", id)] = Info(id, "Increment", "default", JobState.Succeeded, Encoding.UTF8.GetBytes("3"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => GetResultAsync("Add", client, id));

        Assert.Contains("'Increment'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_jobs_with_a_result_get_GetResultAsync()
    {
        Assert.Contains(Proxy("Add").GetMethods(), m => m.Name == "GetResultAsync");
        Assert.DoesNotContain(Proxy("SendEmail").GetMethods(), m => m.Name == "GetResultAsync");
    }
}

using System.Collections;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Generators.Tests.Infrastructure;
using TaskQueue.Processing;

namespace TaskQueue.Generators.Tests;

[Collection(JobClientDefaultCollection.Name)]
public sealed class CompileAndRunTests
{
    private static GeneratedAssembly App => CompiledPrograms.Behaviour;

    private static Type Proxy(string name) => App.Proxy("Behaviour", name);

    private static List<object?[]> Seen => (List<object?[]>)App.Type("Behaviour.Seen").GetField("Calls")!.GetValue(null)!;

    private static object?[] LastSeen()
    {
        lock (Seen)
        {
            return Seen[^1];
        }
    }

    private static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public async Task Enqueue_through_an_explicit_client_sends_the_definition_and_the_arguments_as_json()
    {
        var client = new RecordingJobClient();
        using var cts = new CancellationTokenSource();

        await (ValueTask<JobId>)GeneratedAssembly.Call(Proxy("SendEmail"), "EnqueueAsync", client, "a@b.c", "Hi \"there\"", null, cts.Token)!;

        var (job, payload, options, token) = Assert.Single(client.Enqueued);
        Assert.Equal("SendEmail", job.Name);
        Assert.Equal(Priority.High, job.Priority);
        Assert.Equal(5, job.MaxRetries);
        Assert.False(job.RequiresScope);
        Assert.Null(options);
        Assert.Equal(cts.Token, token);
        Assert.Equal("{\"to\":\"a@b.c\",\"subject\":\"Hi \\u0022there\\u0022\"}", Encoding.UTF8.GetString(payload));
    }

    [Fact]
    public async Task Registry_runs_the_handler_with_exactly_the_enqueued_arguments_and_the_attempt_token()
    {
        var payload = GeneratedAssembly.Serialize(Proxy("SendEmail"), "ops@example.com", "Disk 😀 full");
        using var cts = new CancellationTokenSource();

        var result = await App.Registry.InvokeAsync("SendEmail", payload, GeneratedAssembly.Context("SendEmail", token: cts.Token));

        Assert.Null(result);
        var seen = LastSeen();
        Assert.Equal("ops@example.com", seen[0]);
        Assert.Equal("Disk 😀 full", seen[1]);
        Assert.Equal(cts.Token, seen[2]);
    }

    [Fact]
    public async Task Generated_definitions_carry_the_invoker_the_dispatcher_hands_to_the_worker()
    {
        var definition = App.Registry.Jobs.Single(j => j.Name == "SendEmail");
        Assert.NotNull(definition.Invoker);
        Assert.True(new JobDispatcher([App.Registry]).TryGetJob("SendEmail", out var registration));
        Assert.Same(definition.Invoker, registration.Invoker);

        await registration.Invoker(GeneratedAssembly.Serialize(Proxy("SendEmail"), "direct@example.com", "no switch"), GeneratedAssembly.Context("SendEmail"));

        Assert.Equal("direct@example.com", LastSeen()[0]);
    }

    [Fact]
    public async Task Missing_fields_take_the_parameter_defaults()
    {
        await App.Registry.InvokeAsync("WithDefaults", Json("{\"name\":\"x\"}"), GeneratedAssembly.Context("WithDefaults"));

        var seen = LastSeen();
        Assert.Equal("x", seen[0]);
        Assert.Equal(7, seen[1]);
        Assert.Null(seen[2]);
        Assert.Equal("Paid", seen[3]!.ToString());
    }

    [Fact]
    public void Unknown_fields_are_skipped_including_nested_objects_and_arrays()
    {
        var values = GeneratedAssembly.Deserialize(Proxy("WithDefaults"), Json("""
            {"extra":{"a":[1,{"b":[2,3]}],"c":null},"name":"x","more":[[],[{}]],"count":3,"status":"Shipped","tail":"t"}
            """), 4);

        Assert.Equal(["x", 3, null], values[..3]);
        Assert.Equal("Shipped", values[3]!.ToString());
    }

    [Fact]
    public void Enum_numbers_are_accepted_on_read()
    {
        var values = GeneratedAssembly.Deserialize(Proxy("WithDefaults"), Json("{\"name\":\"x\",\"status\":5}"), 4);

        Assert.Equal("Shipped", values[3]!.ToString());
    }

    [Fact]
    public void Missing_required_field_throws_a_payload_exception_naming_job_parameter_and_path()
    {
        var ex = Assert.Throws<JobPayloadException>(() => GeneratedAssembly.Deserialize(Proxy("WithDefaults"), Json("{\"count\":1}"), 4));

        Assert.Equal("WithDefaults", ex.JobName);
        Assert.Equal("name", ex.Parameter);
        Assert.Equal("$.name", ex.JsonPath);
        Assert.Contains("missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_token_type_deep_in_an_argument_throws_with_the_json_path()
    {
        var json = """
            {"order":{"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","lines":[
              {"sku":"a","quantity":1,"price":1.5},{"sku":"b","quantity":2,"price":2},{"sku":5,"quantity":1,"price":1}],
              "notes":{},"customer":null,"status":"Paid"}}
            """;

        var ex = Assert.Throws<JobPayloadException>(() => GeneratedAssembly.Deserialize(Proxy("PlaceOrder"), Json(json), 1));

        Assert.Equal("orders.place", ex.JobName);
        Assert.Equal("order", ex.Parameter);
        Assert.Equal("$.order.lines[2].sku", ex.JsonPath);
        Assert.Contains("the number 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_field_of_a_nested_record_names_its_path()
    {
        var json = """{"order":{"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","lines":[{"sku":"a","price":1}],"notes":{},"customer":null,"status":"Paid"}}""";

        var ex = Assert.Throws<JobPayloadException>(() => GeneratedAssembly.Deserialize(Proxy("PlaceOrder"), Json(json), 1));

        Assert.Equal("$.order.lines[0].quantity", ex.JsonPath);
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"status\":\"Lost\"}", "status", "\"Lost\" is not a member of Shop.Status")]
    [InlineData("{\"name\":\"x\",\"count\":null}", "count", "expected a number (Int32) but found null")]
    [InlineData("{\"name\":\"x\",\"count\":\"7\"}", "count", "found the string \"7\"")]
    [InlineData("{\"name\":[\"x\"]}", "name", "expected a string but found an array")]
    [InlineData("[1,2]", null, "expected an object but found an array")]
    public void Values_of_the_wrong_kind_throw_a_payload_exception_that_names_them(string json, string? parameter, string reason)
    {
        var ex = Assert.Throws<JobPayloadException>(() => GeneratedAssembly.Deserialize(Proxy("WithDefaults"), Json(json), 4));

        Assert.Equal("WithDefaults", ex.JobName);
        Assert.Equal(parameter, ex.Parameter);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_write_leaves_the_thread_writer_usable_for_the_next_job()
    {
        var proxy = Proxy("SendEmail");
        Assert.Throws<JobPayloadException>(() => GeneratedAssembly.Serialize(proxy, "a" + (char)0xD800, "b"));

        var payload = GeneratedAssembly.Serialize(proxy, "x", "y");

        Assert.Equal("{\"to\":\"x\",\"subject\":\"y\"}", Encoding.UTF8.GetString(payload));
    }

    [Fact]
    public void Malformed_json_throws_a_payload_exception()
    {
        var ex = Assert.Throws<JobPayloadException>(() => GeneratedAssembly.Deserialize(Proxy("WithDefaults"), Json("{\"name\":\"x\",\"count\":"), 4));

        Assert.Equal("WithDefaults", ex.JobName);
    }

    [Fact]
    public void Number_out_of_range_throws_a_payload_exception()
    {
        var ex = Assert.Throws<JobPayloadException>(() => GeneratedAssembly.Deserialize(Proxy("WithDefaults"), Json("{\"name\":\"x\",\"count\":3000000000}"), 4));

        Assert.Equal("count", ex.Parameter);
        Assert.Contains("does not fit Int32", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Result_values_round_trip_through_the_registry()
    {
        var sum = await App.Registry.InvokeAsync("Add", GeneratedAssembly.Serialize(Proxy("Add"), 2, 40), GeneratedAssembly.Context("Add"));
        Assert.Equal("42", Encoding.UTF8.GetString(sum!));
        Assert.Equal(42, GeneratedAssembly.Call(Proxy("Add"), "DeserializeResult", new ReadOnlyMemory<byte>(sum!)));

        var order = RoundTripValues.Create(App.Type("Shop.Order"), new Random(7), depth: 0)!;
        var echoed = await App.Registry.InvokeAsync("Echo", GeneratedAssembly.Serialize(Proxy("Echo"), order), GeneratedAssembly.Context("Echo"));
        var back = GeneratedAssembly.Call(Proxy("Echo"), "DeserializeResult", new ReadOnlyMemory<byte>(echoed!));
        RoundTripValues.AssertDeepEqual(order, back, "result");
    }

    [Fact]
    public async Task Job_context_is_injected_and_not_serialized()
    {
        var payload = GeneratedAssembly.Serialize(Proxy("Echo"), new object?[] { null });
        var context = GeneratedAssembly.Context("Echo");

        await App.Registry.InvokeAsync("Echo", payload, context);

        Assert.Equal("{\"order\":null}", Encoding.UTF8.GetString(payload));
        Assert.Same(context, LastSeen()[1]);
    }

    [Fact]
    public async Task Instance_job_resolves_its_type_from_the_scope_registered_by_the_generated_AddJobs()
    {
        var services = new ServiceCollection();
        services.AddSingleton(App.Type("Behaviour.Counter"));
        InvokeAddJobs(services);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var payload = GeneratedAssembly.Serialize(Proxy("Increment"), 3);

        byte[]? first;
        byte[]? second;
        using (var scope = provider.CreateScope())
        {
            first = await App.Registry.InvokeAsync("Increment", payload, GeneratedAssembly.Context("Increment", scope.ServiceProvider));
        }

        using (var scope = provider.CreateScope())
        {
            second = await App.Registry.InvokeAsync("Increment", payload, GeneratedAssembly.Context("Increment", scope.ServiceProvider));
        }

        Assert.Equal("3", Encoding.UTF8.GetString(first!));
        Assert.Equal("6", Encoding.UTF8.GetString(second!));
        Assert.Equal("Increment", LastSeen()[1]);
        Assert.True(((JobDefinition)Proxy("Increment").GetProperty("Definition")!.GetValue(null)!).RequiresScope);
    }

    [Fact]
    public void Generated_AddJobs_registers_the_registry_once_with_every_job()
    {
        var services = new ServiceCollection();
        InvokeAddJobs(services);
        InvokeAddJobs(services);
        using var provider = services.BuildServiceProvider();

        var registry = Assert.Single(provider.GetServices<IJobRegistry>());

        Assert.Equal("BehaviourAppJobRegistry", registry.GetType().Name);
        Assert.Equal(
            new[] { "Add", "Cleanup", "Collides", "Echo", "Increment", "NoArgs", "SendEmail", "WithDefaults", "orders.place" },
            registry.Jobs.Select(j => j.Name).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Unknown_job_name_throws_UnknownJobException()
    {
        var ex = await Assert.ThrowsAsync<UnknownJobException>(async () => await App.Registry.InvokeAsync("Nope", Json("{}"), GeneratedAssembly.Context("Nope")));

        Assert.Equal("Nope", ex.JobName);
    }

    [Fact]
    public void Attribute_values_become_the_definition()
    {
        var place = (JobDefinition)Proxy("PlaceOrder").GetProperty("Definition")!.GetValue(null)!;
        var cleanup = (JobDefinition)Proxy("Cleanup").GetProperty("Definition")!.GetValue(null)!;

        Assert.Equal(("orders.place", "orders", Priority.Normal, 3), (place.Name, place.Queue, place.Priority, place.MaxRetries));
        Assert.Equal(TimeSpan.FromMinutes(5), cleanup.Timeout);
        Assert.Equal(RetryPolicy.Default, cleanup.Retry);
        Assert.True(Proxy("Cleanup").IsNestedAssembly, "An internal job gets an internal proxy.");
        Assert.True(Proxy("SendEmail").IsNestedPublic);
    }

    [Fact]
    public async Task Schedule_overloads_set_RunAt_or_Delay_and_keep_the_other_options()
    {
        var client = new RecordingJobClient();
        var at = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));
        var options = new JobOptions { IdempotencyKey = "k1", Queue = "other" };

        await (ValueTask<JobId>)GeneratedAssembly.Call(Proxy("SendEmail"), "ScheduleAsync", client, "a", "b", at, options, CancellationToken.None)!;
        await (ValueTask<JobId>)GeneratedAssembly.Call(Proxy("SendEmail"), "ScheduleAsync", client, "a", "b", TimeSpan.FromMinutes(3), null, CancellationToken.None)!;

        Assert.Equal(options with { RunAt = at }, client.Enqueued[0].Options);
        Assert.Equal(new JobOptions { Delay = TimeSpan.FromMinutes(3) }, client.Enqueued[1].Options);
    }

    [Fact]
    public async Task Parameters_named_like_generated_ones_still_work()
    {
        var client = new RecordingJobClient();
        var at = DateTimeOffset.UnixEpoch;

        await (ValueTask<JobId>)GeneratedAssembly.Call(Proxy("Collides"), "EnqueueAsync", client, "o", 1, "p", at, new JobOptions { Queue = "q" }, CancellationToken.None)!;
        await App.Registry.InvokeAsync("Collides", client.Enqueued[0].Payload, GeneratedAssembly.Context("Collides"));

        Assert.Equal("q", client.Enqueued[0].Options!.Queue);
        Assert.Equal(["o", 1, "p", at], LastSeen());
    }

    [Fact]
    public async Task Job_without_parameters_writes_an_empty_object()
    {
        var payload = GeneratedAssembly.Serialize(Proxy("NoArgs"));
        var before = Seen.Count;

        await App.Registry.InvokeAsync("NoArgs", payload, GeneratedAssembly.Context("NoArgs"));

        Assert.Equal("{}", Encoding.UTF8.GetString(payload));
        Assert.Equal(before + 1, Seen.Count);
    }

    [Fact]
    public async Task Parameterless_proxy_without_a_default_client_says_what_to_call()
    {
        JobClientDefaultCollection.Reset();

        var ex = Assert.Throws<InvalidOperationException>(() => GeneratedAssembly.Call(Proxy("SendEmail"), "EnqueueAsync", "a", "b", null, CancellationToken.None));

        Assert.Contains("AddTaskQueue", ex.Message, StringComparison.Ordinal);
        Assert.Contains("JobClient.Default", ex.Message, StringComparison.Ordinal);

        var client = new RecordingJobClient();
        Client.JobClient.Default = client;
        try
        {
            await (ValueTask<JobId>)GeneratedAssembly.Call(Proxy("SendEmail"), "EnqueueAsync", "a", "b", null, CancellationToken.None)!;
            Assert.Equal("SendEmail", Assert.Single(client.Enqueued).Job.Name);
        }
        finally
        {
            JobClientDefaultCollection.Reset();
        }
    }

    private static void InvokeAddJobs(IServiceCollection services)
        => App.Type("Microsoft.Extensions.DependencyInjection.BehaviourAppJobsServiceCollectionExtensions")
            .GetMethod("AddBehaviourAppJobs")!.Invoke(null, [services]);
}

/// <summary>Tests that touch the process-wide <see cref="Client.JobClient.Default"/> run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class JobClientDefaultCollection
{
    public const string Name = "JobClient.Default";

    /// <summary>Clears the default client (the public setter refuses null on purpose).</summary>
    public static void Reset()
        => typeof(Client.JobClient).GetField("s_default", BindingFlags.NonPublic | BindingFlags.Static)!.SetValue(null, null);
}

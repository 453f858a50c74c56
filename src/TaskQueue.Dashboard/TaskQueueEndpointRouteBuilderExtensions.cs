using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;
using TaskQueue.Dashboard.Api;

namespace TaskQueue.Dashboard;

/// <summary><c>app.MapTaskQueue("/taskqueue")</c>: the HTTP API, mapped into any ASP.NET Core app.</summary>
public static class TaskQueueEndpointRouteBuilderExtensions
{
    /// <summary>The API's path under the prefix.</summary>
    public const string ApiPath = "/api/v1";

    /// <summary>The OpenAPI tag of every endpoint.</summary>
    public const string OpenApiTag = "TaskQueue";

    /// <summary>
    /// Maps the TaskQueue HTTP API under <c>{prefix}/api/v1</c>: stats, queues (pause/resume, daily totals), jobs by state,
    /// one job (cancel, delete, run now), dead letters (list, requeue and delete one, a filtered set, chosen ids or all),
    /// workers, recurring schedules (list, one, pause, resume, delete), store status, the jobs this app can create (with the JSON Schema of their arguments), create one and bulk
    /// create, and anonymous <c>health</c> (liveness) and <c>ready</c> (the store answers). Every other endpoint needs
    /// access as configured with <see cref="TaskQueueDashboardServiceCollectionExtensions.AddTaskQueueDashboard"/>.
    /// </summary>
    /// <returns>The group of every TaskQueue endpoint, to add the host's own conventions (e.g. <c>RequireHost</c>).</returns>
    /// <exception cref="InvalidOperationException"><c>services.AddTaskQueueDashboard()</c> was not called.</exception>
    public static RouteGroupBuilder MapTaskQueue(this IEndpointRouteBuilder endpoints, string prefix = "/taskqueue")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var services = endpoints.ServiceProvider;
        if (services.GetService<DashboardMarker>() is null)
        {
            throw new InvalidOperationException("MapTaskQueue needs services.AddTaskQueueDashboard(...) (with services.AddTaskQueue() and your jobs) before the app is built.");
        }

        var access = services.GetRequiredService<ApiAccess>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("TaskQueue.Dashboard");
        StartupWarnings.Register(services, access, logger, prefix);

        var root = endpoints.MapGroup(prefix);
        var api = root.MapGroup(ApiPath).WithTags(OpenApiTag);
        api.AddEndpointFilter((context, next) => StoreFailures.FilterAsync(context, next, logger));

        // Probes: anonymous, as load balancers and orchestrators call them.
        api.MapGet("/health", SystemHandlers.Health).WithName("TaskQueue_Health").WithSummary("Liveness: the process answers.");
        api.MapGet("/ready", SystemHandlers.Ready).WithName("TaskQueue_Ready").WithSummary("Readiness: the job store answers, with its round-trip time; 503 when it does not.");

        var secured = api.MapGroup(string.Empty);
        secured.AddEndpointFilter(access.FilterAsync);
        secured.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        secured.MapGet("/stats", SystemHandlers.Stats).WithName("TaskQueue_Stats").WithSummary("Every queue's counts by state, and the sums.");
        secured.MapGet("/status", SystemHandlers.Status).WithName("TaskQueue_Status").WithSummary("Store status: kind, availability, round trip, servers.");
        secured.MapGet("/workers", SystemHandlers.Workers).WithName("TaskQueue_Workers").WithSummary("Live workers with their queues and running jobs.");
        secured.MapGet("/job-types", SystemHandlers.JobTypes).WithName("TaskQueue_JobTypes").WithSummary("The jobs this app can create: name, queue, priority, max retries and the JSON Schema of the arguments.");
        secured.MapGet("/job-types/{name}", SystemHandlers.JobType).WithName("TaskQueue_JobType").WithSummary("One job type.");

        secured.MapGet("/queues", QueueHandlers.ListQueues).WithName("TaskQueue_Queues").WithSummary("Every queue with its counts by state.");
        secured.MapGet("/queues/{queue}", QueueHandlers.GetQueue).WithName("TaskQueue_Queue").WithSummary("One queue's counts by state.");
        secured.MapPost("/queues/{queue}/pause", QueueHandlers.Pause).WithName("TaskQueue_PauseQueue").WithSummary("Stop the queue handing out jobs.");
        secured.MapPost("/queues/{queue}/resume", QueueHandlers.Resume).WithName("TaskQueue_ResumeQueue").WithSummary("Let a paused queue hand out jobs again.");
        secured.MapGet("/queues/{queue}/daily-totals", QueueHandlers.Daily).WithName("TaskQueue_DailyTotals").WithSummary("Processed and failed attempts per UTC day (?days=1-30, default 7), oldest first.");
        secured.MapGet("/queues/{queue}/jobs", QueueHandlers.ListJobs).WithName("TaskQueue_Jobs").WithSummary("A page of the queue's jobs in a state (?state=pending|scheduled|running|retrying|dead|succeeded|cancelled&offset=0&count=50), with the state's total.");
        secured.MapGet("/queues/{queue}/jobs/{id}", QueueHandlers.GetJob).WithName("TaskQueue_Job").WithSummary("One job in full.");
        secured.MapPost("/queues/{queue}/jobs/{id}/cancel", QueueHandlers.Cancel).WithName("TaskQueue_CancelJob").WithSummary("Cancel a pending, scheduled, retrying or running job.");
        secured.MapPost("/queues/{queue}/jobs/{id}/run-now", QueueHandlers.RunNow).WithName("TaskQueue_RunJobNow").WithSummary("Make a scheduled or retrying job ready now.");
        secured.MapDelete("/queues/{queue}/jobs/{id}", QueueHandlers.Delete).WithName("TaskQueue_DeleteJob").WithSummary("Delete a job in any state.");
        secured.MapGet("/queues/{queue}/dead-letters", QueueHandlers.ListDeadLetters).WithName("TaskQueue_DeadLetters").WithSummary("A page of dead letters, most recent first (?offset&count).");
        secured.MapPost("/queues/{queue}/dead-letters/{id}/requeue", QueueHandlers.RequeueDeadLetter).WithName("TaskQueue_RequeueDeadLetter").WithSummary("Requeue one dead letter with a fresh attempt count.");
        secured.MapDelete("/queues/{queue}/dead-letters/{id}", QueueHandlers.DeleteDeadLetter).WithName("TaskQueue_DeleteDeadLetter").WithSummary("Delete one dead letter.");
        secured.MapPost("/queues/{queue}/dead-letters/requeue", DeadLetterHandlers.Requeue).WithName("TaskQueue_RequeueDeadLetters")
            .WithSummary("Requeue dead letters chosen by {\"ids\"}, {\"jobName\",\"errorContains\"} or {\"all\": true}.");
        secured.MapPost("/queues/{queue}/dead-letters/delete", DeadLetterHandlers.Delete).WithName("TaskQueue_DeleteDeadLetters")
            .WithSummary("Delete dead letters chosen by {\"ids\"}, {\"jobName\",\"errorContains\"} or {\"all\": true}.");

        secured.MapGet("/schedules", ScheduleHandlers.List).WithName("TaskQueue_Schedules")
            .WithSummary("Every recurring schedule: job, queue, cron, time zone, paused, next and last due instant, the last occurrence's job id and outcome, misfire and overlap policies, declared or dynamic.");
        secured.MapGet("/schedules/{name}", ScheduleHandlers.Get).WithName("TaskQueue_Schedule").WithSummary("One recurring schedule.");
        secured.MapPost("/schedules/{name}/pause", ScheduleHandlers.Pause).WithName("TaskQueue_PauseSchedule").WithSummary("Stop enqueueing the schedule's occurrences.");
        secured.MapPost("/schedules/{name}/resume", ScheduleHandlers.Resume).WithName("TaskQueue_ResumeSchedule")
            .WithSummary("Resume a paused schedule from its next occurrence after now (those missed while paused are not run).");
        secured.MapDelete("/schedules/{name}", ScheduleHandlers.Delete).WithName("TaskQueue_DeleteSchedule").WithSummary("Delete a schedule (a declared one comes back when its app restarts).");

        secured.MapPost("/jobs/bulk", CreateHandlers.CreateMany).WithName("TaskQueue_CreateJobs")
            .WithSummary("Create many jobs in one request and one store call: {\"jobs\": [{\"name\", \"arguments\", ...options}]}. All are validated first; any problem stores nothing.");
        secured.MapPost("/job-types/{name}/jobs", CreateHandlers.Create).WithName("TaskQueue_CreateJob")
            .WithSummary("Create a job by name: {\"arguments\": {...}, ...options}. The arguments are validated by the job's generated reader first.");
        MapTypedCreateEndpoints(secured, services.GetRequiredService<JobCatalog>());

        // Anything else under the API (an unknown path, or a known path with another method) is a 404 problem, not an empty body.
        api.Map("/{**path}", static (HttpRequest request) => ApiProblems.NotFound(
                $"No TaskQueue API endpoint answers {request.Method} {ApiProblems.Shorten(request.Path.Value ?? string.Empty)}."))
            .ExcludeFromDescription();

        // The web dashboard at {prefix}/ (Ui/), a client of the endpoints above.
        Ui.DashboardUi.Map(root, access);
        return root;
    }

    /// <summary>
    /// One create endpoint per job, at its literal path, so the OpenAPI document shows each job's request body with the
    /// JSON Schema of its arguments (the route with <c>{name}</c> serves the same calls and unknown names).
    /// </summary>
    private static void MapTypedCreateEndpoints(RouteGroupBuilder secured, JobCatalog catalog)
    {
        foreach (var job in catalog.Jobs)
        {
            var name = job.Name;
            secured.MapPost("/job-types/" + name + "/jobs", (HttpRequest request, [Microsoft.AspNetCore.Mvc.FromServices] JobCatalog jobs, [Microsoft.AspNetCore.Mvc.FromServices] Storage.IJobStore store,
                    [Microsoft.AspNetCore.Mvc.FromServices] Client.IJobClient client, CancellationToken ct)
                    => CreateHandlers.Create(name, request, jobs, store, client, ct))
                .WithName("TaskQueue_Create_" + OperationId(name))
                .WithSummary($"Create a '{name}' job (queue '{job.Queue}', priority {ApiModels.Name(job.Priority)}, {job.MaxRetries} retries).")
                .AddOpenApiOperationTransformer((operation, _, _) =>
                {
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Description = $"The arguments of '{name}' and, optionally, per-job options.",
                        Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                        {
                            ["application/json"] = new OpenApiMediaType { Schema = JobSchemaOpenApi.CreateRequest(job) },
                        },
                    };
                    return Task.CompletedTask;
                });
        }
    }

    private static string OperationId(string jobName)
    {
        var chars = jobName.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] != '_')
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}

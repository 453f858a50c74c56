using System.CommandLine;
using System.Text;
using System.Text.Json;
using TaskQueue.Cli.Output;
using TaskQueue.Storage;

namespace TaskQueue.Cli.Commands;

/// <summary>
/// <c>tq enqueue NAME '{...}'</c>: stores a job by name with its arguments as a JSON object. The CLI does not know the
/// app's job table, so it checks what it can (a JSON object, the store's size limit, valid names); arguments that do
/// not fit the job's parameters fail at the worker, which dead-letters the job with a <c>JobPayloadException</c>
/// naming the field. Use the HTTP API's create endpoint to have the app's generated reader check them first.
/// </summary>
internal static class EnqueueCommand
{
    public static Command Enqueue()
    {
        var name = new Argument<string>("name") { Description = "The job's stored name (its [Job] name)." };
        var arguments = new Argument<string>("arguments") { Description = "The arguments as a JSON object, e.g. '{\"to\":\"ada@example.com\"}'.", DefaultValueFactory = _ => "{}" };
        var queue = CommonOptions.Queue();
        var priority = new Option<Priority>("--priority", "-p") { Description = "critical, high, normal or low.", DefaultValueFactory = _ => Priority.Normal };
        var retries = new Option<int>("--max-retries") { Description = "Retries before the job becomes a dead letter.", DefaultValueFactory = _ => JobDefaults.MaxRetries };
        var delay = new Option<double?>("--delay") { Description = "Seconds to wait before the job may run." };
        var key = new Option<string?>("--idempotency-key") { Description = "A key that makes repeating this command store the job once." };
        var command = new Command("enqueue", "Store a job by name with its arguments as a JSON object.") { name, arguments, queue, priority, retries, delay, key };
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var jobName = parse.GetValue(name)!;
            var payload = Encoding.UTF8.GetBytes(parse.GetValue(arguments)!);
            RequireJsonObject(jobName, payload);
            var job = new NewJob
            {
                Id = JobId.New(),
                Name = jobName,
                Queue = parse.GetValue(queue)!,
                Priority = parse.GetValue(priority),
                Payload = payload,
                MaxRetries = parse.GetValue(retries),
                Delay = parse.GetValue(delay) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                IdempotencyKey = parse.GetValue(key),
            };
            job.Validate(session.Store.MaxPayloadBytes, "arguments");
            var result = await session.Store.EnqueueAsync(job, ct).ConfigureAwait(false);
            if (session.Json)
            {
                CommandRunner.WriteJson(new EnqueueView(result.Id.Value, job.Name, job.Queue, result.Created), CliJsonContext.Default.EnqueueView);
            }
            else
            {
                Console.Out.WriteLine(result.Created
                    ? $"Enqueued job {result.Id} ({job.Name}) in queue '{job.Queue}'."
                    : $"Nothing was stored: idempotency key '{job.IdempotencyKey}' already holds job {result.Id} in queue '{job.Queue}'.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void RequireJsonObject(string jobName, byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CliException(ExitCodes.Usage, $"The arguments of job '{jobName}' must be a JSON object (named arguments), but were a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}; nothing was stored.");
            }
        }
        catch (JsonException exception)
        {
            throw new CliException(ExitCodes.Usage, $"The arguments of job '{jobName}' are not valid JSON ({exception.Message}); nothing was stored.");
        }
    }
}

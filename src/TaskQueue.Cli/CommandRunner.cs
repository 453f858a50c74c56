using System.CommandLine;
using System.Text.Json;
using TaskQueue.Cli.Output;
using TaskQueue.Redis;

namespace TaskQueue.Cli;

/// <summary>
/// Runs one command's body against an open store and turns every failure into a one-line message on stderr (JSON with
/// <c>--json</c>) and the exit code scripts rely on (<see cref="ExitCodes"/>).
/// </summary>
internal static class CommandRunner
{
    public static void SetStoreAction(this Command command, Func<ParseResult, StoreSession, CancellationToken, Task<int>> body)
        => command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                await using var session = await StoreSession.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
                try
                {
                    return await body(parse, session, cancellationToken).ConfigureAwait(false);
                }
                catch (RedisJobStoreException exception)
                {
                    throw new CliException(ExitCodes.StoreUnavailable, $"Redis at {session.Endpoint} failed: {exception.Message}");
                }
            }
            catch (CliException exception)
            {
                return Fail(parse, exception.ExitCode, exception.Message);
            }
            catch (ArgumentException exception)
            {
                return Fail(parse, ExitCodes.Usage, exception.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }
        });

    /// <summary>The job id argument, or a usage error naming the value.</summary>
    public static JobId ParseId(string? text)
        => JobId.TryParse(text, out var id) ? id : throw new CliException(ExitCodes.Usage, $"'{text}' is not a job id (32 hex digits, as tq jobs list shows them).");

    /// <summary>Writes <paramref name="value"/> as JSON (<c>--json</c>).</summary>
    public static void WriteJson<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        => Console.Out.WriteLine(JsonSerializer.Serialize(value, type));

    private static int Fail(ParseResult parse, int exitCode, string message)
    {
        if (parse.GetValue(GlobalOptions.Json))
        {
            Console.Error.WriteLine(JsonSerializer.Serialize(new ErrorView(message, exitCode), CliJsonContext.Default.ErrorView));
        }
        else
        {
            Console.Error.WriteLine("tq: " + message);
        }

        return exitCode;
    }
}

namespace TaskQueue.Cli;

/// <summary>A failure with a message meant for the operator and the exit code that goes with it.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

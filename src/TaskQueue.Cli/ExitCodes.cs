namespace TaskQueue.Cli;

/// <summary>What <c>tq</c> exits with, so scripts can tell outcomes apart (listed in the README).</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>Anything unexpected (the message says what).</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong: unknown command or option, a bad value, a missing argument.</summary>
    public const int Usage = 2;

    /// <summary>The job, dead letter or schedule does not exist, or is not in a state the action applies to.</summary>
    public const int NotFound = 3;

    /// <summary>Redis could not be reached, or refused the command.</summary>
    public const int StoreUnavailable = 4;
}

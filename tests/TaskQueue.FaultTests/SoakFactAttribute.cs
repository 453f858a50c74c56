namespace TaskQueue.FaultTests;

/// <summary>A fact that runs only when <c>TASKQUEUE_SOAK=1</c> (the long soak is not part of CI's default run).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SoakFactAttribute : FactAttribute
{
    public const string EnvironmentVariable = "TASKQUEUE_SOAK";

    public SoakFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) != "1")
        {
            Skip = $"The soak runs only with {EnvironmentVariable}=1 (docs/reliability.md, \"Running the drills\").";
        }
    }
}

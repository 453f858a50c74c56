namespace TaskQueue.Generators.Tests.Infrastructure;

/// <summary>Compiles each shared test program once per test run (compiling is the slow part).</summary>
internal static class CompiledPrograms
{
    private static readonly Lazy<GeneratedAssembly> s_behaviour = new(() => new GeneratedAssembly(
        GeneratorHarness.Load(GeneratorHarness.CompileWithGenerator("Behaviour.App", Programs.Models, Programs.Behaviour)),
        "TaskQueue.Generated.BehaviourAppJobRegistry"));

    private static readonly Lazy<GeneratedAssembly> s_roundTrips = new(() => new GeneratedAssembly(
        GeneratorHarness.Load(GeneratorHarness.CompileWithGenerator("RoundTrips", Programs.Models, Programs.RoundTripJobs())),
        "TaskQueue.Generated.RoundTripsJobRegistry"));

    private static readonly Lazy<GeneratedAssembly> s_shapes = new(() => new GeneratedAssembly(
        GeneratorHarness.Load(GeneratorHarness.CompileWithGenerator("ShapeJobs", TaskQueue.Tests.Shared.PayloadShapes.Source, Programs.ShapeJobs())),
        "TaskQueue.Generated.ShapeJobsJobRegistry"));

    public static GeneratedAssembly Behaviour => s_behaviour.Value;

    public static GeneratedAssembly RoundTrips => s_roundTrips.Value;

    public static GeneratedAssembly Shapes => s_shapes.Value;
}

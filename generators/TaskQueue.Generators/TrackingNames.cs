namespace TaskQueue.Generators
{
    /// <summary>Names of the pipeline steps, so tests can check each one is cached.</summary>
    internal static class TrackingNames
    {
        public const string Jobs = nameof(Jobs);
        public const string CollectedJobs = nameof(CollectedJobs);
        public const string AssemblyName = nameof(AssemblyName);
        public const string Output = nameof(Output);

        /// <summary>Every step name.</summary>
        public static readonly string[] All = { Jobs, CollectedJobs, AssemblyName, Output };
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TaskQueue.Generators.Shared;

namespace TaskQueue.Generators
{
    /// <summary>Turns [Job] methods into typed proxies, argument serializers and a dispatch table.</summary>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class JobGenerator : IIncrementalGenerator
    {
        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var jobs = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    JobMethodInspector.JobAttributeMetadataName,
                    static (node, _) => node is MethodDeclarationSyntax,
                    static (ctx, ct) => Parser.Parse(ctx, ct))
                .WithTrackingName(TrackingNames.Jobs);

            var collected = jobs.Collect().WithTrackingName(TrackingNames.CollectedJobs);

            var assemblyName = context.CompilationProvider
                .Select(static (compilation, _) => compilation.AssemblyName ?? "Assembly")
                .WithTrackingName(TrackingNames.AssemblyName);

            var output = collected.Combine(assemblyName).WithTrackingName(TrackingNames.Output);

            // Emitting from the collected jobs lets the emitter skip duplicate names and hint names
            // (the analyzers report them) instead of failing the whole generator.
            context.RegisterSourceOutput(output, static (spc, input) => Emitter.Emit(spc, input.Left, input.Right));
        }
    }
}

using Microsoft.CodeAnalysis;

namespace TaskQueue.Generators;

/// <summary>Turns [Job] methods into typed proxies, argument serializers and a dispatch table.</summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class JobGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}

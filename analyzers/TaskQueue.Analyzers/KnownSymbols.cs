using Microsoft.CodeAnalysis;

namespace TaskQueue.Analyzers;

/// <summary>The types the analyzers compare against, looked up once per compilation.</summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation, INamedTypeSymbol jobAttribute)
    {
        JobAttribute = jobAttribute;
        JobId = compilation.GetTypeByMetadataName("TaskQueue.JobId");
        JobContext = compilation.GetTypeByMetadataName("TaskQueue.JobContext");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
    }

    public INamedTypeSymbol JobAttribute { get; }

    public INamedTypeSymbol? JobId { get; }

    public INamedTypeSymbol? JobContext { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    /// <summary>Null when the compilation does not reference TaskQueue: then there is nothing to analyze.</summary>
    public static KnownSymbols? Create(Compilation compilation)
        => compilation.GetTypeByMetadataName("TaskQueue.JobAttribute") is { } jobAttribute
            ? new KnownSymbols(compilation, jobAttribute)
            : null;

    /// <summary>The [Job] attribute on <paramref name="method"/>, or null.</summary>
    public AttributeData? GetJobAttribute(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, JobAttribute))
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>True for Task, ValueTask, Task&lt;T&gt; and ValueTask&lt;T&gt;.</summary>
    public bool IsAwaitableTask(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        var definition = named.OriginalDefinition;
        return SymbolEqualityComparer.Default.Equals(definition, Task)
            || SymbolEqualityComparer.Default.Equals(definition, TaskOfT)
            || SymbolEqualityComparer.Default.Equals(definition, ValueTask)
            || SymbolEqualityComparer.Default.Equals(definition, ValueTaskOfT);
    }
}

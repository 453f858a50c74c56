using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TaskQueue.Analyzers;

/// <summary>
/// Reports how code uses jobs: a [Job] method called directly (TQ0017) and the task of an
/// EnqueueAsync/ScheduleAsync thrown away (TQ0018).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class JobUsageAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.DirectJobCall, DiagnosticDescriptors.EnqueueNotAwaited);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.Create(start.Compilation) is not { } known)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeInvocation(c, known), OperationKind.Invocation);
            start.RegisterOperationAction(c => AnalyzeExpressionStatement(c, known), OperationKind.ExpressionStatement);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownSymbols known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var target = invocation.TargetMethod.OriginalDefinition;
        if (known.GetJobAttribute(target) is null)
        {
            return;
        }

        // A job calling another job inline is composition, not a forgotten enqueue: stay quiet there.
        if (context.ContainingSymbol is IMethodSymbol caller && known.GetJobAttribute(caller) is not null)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DirectJobCall, invocation.Syntax.GetLocation(), target.Name));
    }

    private static void AnalyzeExpressionStatement(OperationAnalysisContext context, KnownSymbols known)
    {
        var statement = (IExpressionStatementOperation)context.Operation;
        if (statement.Operation is not IInvocationOperation invocation || !IsEnqueue(invocation.TargetMethod, known))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.EnqueueNotAwaited,
            invocation.Syntax.GetLocation(),
            invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name));
    }

    /// <summary>
    /// A generated proxy's EnqueueAsync/ScheduleAsync or IJobClient's: a method of that name family whose
    /// task yields job ids. Matching the result type, not the proxy's class, keeps this independent of generator details.
    /// </summary>
    private static bool IsEnqueue(IMethodSymbol method, KnownSymbols known)
    {
        var name = method.Name;
        if (!(name.StartsWith("Enqueue", System.StringComparison.Ordinal) || name.StartsWith("Schedule", System.StringComparison.Ordinal))
            || !name.EndsWith("Async", System.StringComparison.Ordinal)
            || !known.IsAwaitableTask(method.ReturnType)
            || known.JobId is null)
        {
            return false;
        }

        if (method.ReturnType is not INamedTypeSymbol { TypeArguments.Length: 1 } task)
        {
            return false;
        }

        var result = task.TypeArguments[0];
        if (SymbolEqualityComparer.Default.Equals(result, known.JobId))
        {
            return true;
        }

        // EnqueueManyAsync: a list of ids.
        return result is INamedTypeSymbol { TypeArguments.Length: 1 } list
            && SymbolEqualityComparer.Default.Equals(list.TypeArguments[0], known.JobId);
    }
}

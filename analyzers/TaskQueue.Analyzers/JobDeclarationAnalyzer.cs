using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TaskQueue.Generators.Shared;

namespace TaskQueue.Analyzers;

/// <summary>
/// Reports everything wrong with a [Job] declaration: shape, attribute values and parameter/result types
/// (all from the shared model the generator uses), instance types DI cannot create, and duplicate job names.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class JobDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.UnsupportedParameterType,
        DiagnosticDescriptors.UnsupportedResultType,
        DiagnosticDescriptors.TypeMissingFromJsonContext,
        DiagnosticDescriptors.GenericJob,
        DiagnosticDescriptors.UnsupportedParameterModifier,
        DiagnosticDescriptors.InaccessibleJob,
        DiagnosticDescriptors.UnsupportedReturnType,
        DiagnosticDescriptors.DuplicateInjectedParameter,
        DiagnosticDescriptors.DuplicateJobName,
        DiagnosticDescriptors.InvalidJobName,
        DiagnosticDescriptors.NegativeMaxRetries,
        DiagnosticDescriptors.InvalidTimeout,
        DiagnosticDescriptors.InvalidQueueName,
        DiagnosticDescriptors.InvalidRetryDelay,
        DiagnosticDescriptors.RetryBaseDelayAboveMax,
        DiagnosticDescriptors.JobTypeNotConstructible,
        DiagnosticDescriptors.UndefinedEnumValue,
        DiagnosticDescriptors.UnsupportedMethodKind,
        DiagnosticDescriptors.OtherJobProblem);

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

            // The same per-compilation index the generator uses, so both agree on what a context declares.
            var jsonContexts = JsonContextIndex.For(start.Compilation);
            var jobNames = new ConcurrentBag<(string Name, IMethodSymbol Method)>();

            start.RegisterSymbolAction(c => AnalyzeMethod(c.ReportDiagnostic, (IMethodSymbol)c.Symbol, known, jsonContexts, jobNames, c.CancellationToken), SymbolKind.Method);

            // Local functions and lambdas are not member symbols; [Job] on them is still a mistake to report.
            start.RegisterOperationAction(
                c => AnalyzeMethod(c.ReportDiagnostic, ((ILocalFunctionOperation)c.Operation).Symbol, known, jsonContexts, null, c.CancellationToken),
                OperationKind.LocalFunction);
            start.RegisterOperationAction(
                c => AnalyzeMethod(c.ReportDiagnostic, ((IAnonymousFunctionOperation)c.Operation).Symbol, known, jsonContexts, null, c.CancellationToken),
                OperationKind.AnonymousFunction);

            start.RegisterCompilationEndAction(c => ReportDuplicateNames(c, jobNames));
        });
    }

    private static void AnalyzeMethod(
        Action<Diagnostic> report,
        IMethodSymbol method,
        KnownSymbols known,
        JsonContextIndex jsonContexts,
        ConcurrentBag<(string Name, IMethodSymbol Method)>? jobNames,
        CancellationToken cancellationToken)
    {
        if (known.GetJobAttribute(method) is not { } attribute)
        {
            return;
        }

        var inspection = JobMethodInspector.Inspect(method, attribute, new PayloadTypeAnalyzer(jsonContexts), cancellationToken);
        var problems = inspection.Problems;
        if (problems.FirstOrDefault(p => p.Kind == JobProblemKind.UnsupportedMethodKind) is { } wrongKind)
        {
            // A local function or accessor is never a job: its accessibility or shape would only add noise.
            problems = ImmutableArray.Create(wrongKind);
        }

        foreach (var problem in problems)
        {
            foreach (var diagnostic in JobProblemDiagnostics.Create(inspection, problem, jsonContexts))
            {
                report(diagnostic);
            }
        }

        if (problems == inspection.Problems
            && !problems.Any(p => p.Kind == JobProblemKind.UnresolvableInstanceType)
            && LacksPublicConstructor(method))
        {
            // Not (yet) in the shared model: a concrete class whose constructors are all non-public.
            report(Diagnostic.Create(
                DiagnosticDescriptors.JobTypeNotConstructible,
                method.Locations.FirstOrDefault(),
                method.Name,
                method.ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat),
                "it has no public constructor"));
        }

        if (method.MethodKind == MethodKind.Ordinary)
        {
            jobNames?.Add((inspection.JobName, method));
        }
    }

    private static bool LacksPublicConstructor(IMethodSymbol method)
        => !method.IsStatic
            && method.ContainingType is { TypeKind: TypeKind.Class, IsAbstract: false, IsStatic: false } type
            && !type.InstanceConstructors.Any(c => c.DeclaredAccessibility == Accessibility.Public);

    private static void ReportDuplicateNames(CompilationAnalysisContext context, ConcurrentBag<(string Name, IMethodSymbol Method)> jobNames)
    {
        foreach (var group in jobNames.GroupBy(j => j.Name, System.StringComparer.Ordinal))
        {
            var methods = group.Select(j => j.Method).OrderBy(m => m.Locations.FirstOrDefault()?.SourceTree?.FilePath, System.StringComparer.Ordinal)
                .ThenBy(m => m.Locations.FirstOrDefault()?.SourceSpan.Start).ToList();
            if (methods.Count < 2)
            {
                continue;
            }

            foreach (var method in methods)
            {
                var other = methods.First(m => !SymbolEqualityComparer.Default.Equals(m, method));
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.DuplicateJobName,
                    method.Locations.FirstOrDefault(),
                    methods.Where(m => !SymbolEqualityComparer.Default.Equals(m, method)).SelectMany(m => m.Locations),
                    group.Key,
                    other.ContainingType.Name + "." + other.Name));
            }
        }
    }
}

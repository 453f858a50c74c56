using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TaskQueue.Generators.Shared;

namespace TaskQueue.Analyzers;

/// <summary>
/// Reports recurring schedules that would fail at start-up: an invalid cron expression (TQ0022), an unknown time zone
/// (TQ0023), and declarations that cannot be registered (TQ0024: arguments that do not match the job, a bad or
/// duplicate schedule name, <c>[Job(Cron = ...)]</c> on a job with arguments, a catch-up bound out of range).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RecurringScheduleAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.InvalidCronExpression,
        DiagnosticDescriptors.UnknownTimeZone,
        DiagnosticDescriptors.InvalidRecurringDeclaration);

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

            var names = new ConcurrentBag<(string Name, Location? Location)>();
            start.RegisterSymbolAction(c => Analyze(c, (IMethodSymbol)c.Symbol, known, names), SymbolKind.Method);
            start.RegisterCompilationEndAction(c =>
            {
                foreach (var group in names.GroupBy(n => n.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
                {
                    foreach (var (name, location) in group)
                    {
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidRecurringDeclaration, location, name, "another declaration uses the same schedule name"));
                    }
                }
            });
        });
    }

    private static void Analyze(SymbolAnalysisContext context, IMethodSymbol method, KnownSymbols known, ConcurrentBag<(string, Location?)> names)
    {
        if (known.GetJobAttribute(method) is not { } jobAttribute)
        {
            return;
        }

        var jobName = JobAttributeValues.Read(jobAttribute).Name ?? method.Name;
        var payloadCount = method.Parameters.Count(p =>
            p.Type.ToDisplayString() is not ("System.Threading.CancellationToken" or "TaskQueue.JobContext"));
        foreach (var declaration in RecurringDeclarations.Read(method, jobAttribute, jobName))
        {
            var location = declaration.Attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? method.Locations.FirstOrDefault();
            var name = declaration.Name;
            names.Add((name, location));
            if (CronSyntax.Check(declaration.Cron) is { } problem)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidCronExpression, location, name, declaration.Cron ?? string.Empty, problem));
            }

            if (declaration.TimeZone is { } zone && !IsKnownTimeZone(zone))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnknownTimeZone, location, name, zone));
            }

            if (!JobNames.IsValidJobName(name))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidRecurringDeclaration, location, name, "the name must be 1 to 64 characters of A-Z, a-z, 0-9, '-', '_', '.' or ':'"));
            }

            if (declaration.FromJobAttribute && payloadCount > 0)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidRecurringDeclaration, location, name, "[Job(Cron = ...)] runs the job without arguments, but it has " + payloadCount + "; declare [Recurring(name, cron, arguments...)] instead"));
            }
            else if (!declaration.FromJobAttribute && declaration.Arguments.Count != payloadCount)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidRecurringDeclaration, location, name, "it gives " + declaration.Arguments.Count + " argument(s) but the job takes " + payloadCount));
            }

            if (declaration.MaxCatchUp < 1 || declaration.MaxCatchUp > 1000)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidRecurringDeclaration, location, name, "MaxCatchUp must be 1 to 1000"));
            }
        }
    }

    /// <summary>As the runtime decides: "UTC", or an id the system's time zone database knows.</summary>
    private static bool IsKnownTimeZone(string zone)
    {
        if (zone.Length == 0 || zone == "UTC")
        {
            return true;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(zone) is not null;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }
}

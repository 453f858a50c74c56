using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using TaskQueue.Generators.Shared;

namespace TaskQueue.Analyzers;

/// <summary>
/// Turns the shared model's <see cref="JobProblem"/>s into TQ diagnostics: one fixed descriptor per kind,
/// with the arguments arranged for its message. Serialization problems consult the user's JsonSerializerContext.
/// </summary>
internal static class JobProblemDiagnostics
{
    /// <summary>Property on TQ0003: the fully-qualified type to add to the context.</summary>
    public const string PayloadTypeProperty = "PayloadType";

    /// <summary>Property on TQ0006: "type" when the containing type (at the additional location) must change.</summary>
    public const string TargetProperty = "Target";

    public static IEnumerable<Diagnostic> Create(JobMethodInspection inspection, JobProblem problem, JsonContextIndex jsonContexts)
    {
        var a = problem.Arguments;
        var location = problem.Location ?? Location.None;
        switch (problem.Kind)
        {
            case JobProblemKind.UnsupportedParameterType:
                // Args: method, parameter, type, reason, member path.
                return Serialization(DiagnosticDescriptors.UnsupportedParameterType, location, problem, a[4], jsonContexts);

            case JobProblemKind.UnsupportedResultType:
                // Args: method, type, reason, member path.
                return Serialization(DiagnosticDescriptors.UnsupportedResultType, location, problem, a[3], jsonContexts);

            case JobProblemKind.GenericMethod:
                return One(DiagnosticDescriptors.GenericJob, location, a[0], "the method");
            case JobProblemKind.GenericContainingType:
                return One(DiagnosticDescriptors.GenericJob, location, a[0], $"containing type '{a[1]}'");
            case JobProblemKind.ByRefParameter:
                return One(DiagnosticDescriptors.UnsupportedParameterModifier, location, a[0], a[1], a[2]);
            case JobProblemKind.ParamsParameter:
                return One(DiagnosticDescriptors.UnsupportedParameterModifier, location, a[0], a[1], "params");
            case JobProblemKind.InaccessibleMethod:
                return One(DiagnosticDescriptors.InaccessibleJob, location, a[0], a[0], a[1]);
            case JobProblemKind.InaccessibleContainingType:
                return InaccessibleType(inspection.Method, location, a);
            case JobProblemKind.UnsupportedReturnType:
                return One(DiagnosticDescriptors.UnsupportedReturnType, location, a[0], a[1]);
            case JobProblemKind.DuplicateCancellationToken:
                return One(DiagnosticDescriptors.DuplicateInjectedParameter, location, a[0], a[1], "CancellationToken");
            case JobProblemKind.DuplicateJobContext:
                return One(DiagnosticDescriptors.DuplicateInjectedParameter, location, a[0], a[1], "JobContext");
            case JobProblemKind.NegativeMaxRetries:
                return One(DiagnosticDescriptors.NegativeMaxRetries, location, a[0], a[1]);
            case JobProblemKind.UnparsableTimeSpan when a[1] == "Timeout":
                return One(DiagnosticDescriptors.InvalidTimeout, location, a[0], a[2], "is not a time span");
            case JobProblemKind.UnparsableTimeSpan:
                return One(DiagnosticDescriptors.InvalidRetryDelay, location, a[0], a[1], a[2], "is not a time span");
            case JobProblemKind.NonPositiveTimeout:
                return One(DiagnosticDescriptors.InvalidTimeout, location, a[0], a[1], "is not positive");
            case JobProblemKind.NegativeRetryDelay:
                return One(DiagnosticDescriptors.InvalidRetryDelay, location, a[0], a[1], a[2], "is negative");
            case JobProblemKind.RetryBaseDelayAboveMax:
                return One(DiagnosticDescriptors.RetryBaseDelayAboveMax, location, a[0], a[1], a[2]);
            case JobProblemKind.InvalidJobName:
                return One(DiagnosticDescriptors.InvalidJobName, location, a[0], a[1]);
            case JobProblemKind.InvalidQueueName:
                return One(DiagnosticDescriptors.InvalidQueueName, location, a[0], a[1]);
            case JobProblemKind.UnsupportedMethodKind:
                return One(DiagnosticDescriptors.UnsupportedMethodKind, location, a[0], MethodKindText(a[1]));
            case JobProblemKind.UnresolvableInstanceType:
                return One(DiagnosticDescriptors.JobTypeNotConstructible, location, a[0], a[1], a[2]);
            case JobProblemKind.UndefinedEnumValue:
                return One(DiagnosticDescriptors.UndefinedEnumValue, location, a[0], a[1], a[2]);
            default:
                // A kind added to the shared model after this analyzer: still an error, so the IDE never
                // stays silent about a job the generator skips.
                return One(DiagnosticDescriptors.OtherJobProblem, location, inspection.Method.Name, problem.Kind.ToString(), string.Join(", ", a));
        }
    }

    /// <summary>
    /// TQ0003 when declaring a type in the user's context would fix it (the shared model says which type, and
    /// treats a type the context already declares as supported); otherwise the plain TQ0001/TQ0002.
    /// </summary>
    private static IEnumerable<Diagnostic> Serialization(
        DiagnosticDescriptor descriptor, Location location, JobProblem problem, string memberPath, JsonContextIndex jsonContexts)
    {
        var args = problem.Arguments;
        if (problem.ContextCandidate is { } candidate && jsonContexts.SuggestedContext is { } context)
        {
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(PayloadTypeProperty, candidate.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
            return
            [
                Diagnostic.Create(
                    DiagnosticDescriptors.TypeMissingFromJsonContext,
                    location,
                    context.Locations,
                    properties,
                    args[0],
                    memberPath,
                    candidate.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat),
                    context.Name),
            ];
        }

        return [Diagnostic.Create(descriptor, location, args.ToArray())];
    }

    private static IEnumerable<Diagnostic> InaccessibleType(IMethodSymbol method, Location location, ImmutableArray<string> args)
    {
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) == args[1])
            {
                var properties = ImmutableDictionary<string, string?>.Empty.Add(TargetProperty, "type");
                return [Diagnostic.Create(DiagnosticDescriptors.InaccessibleJob, location, type.Locations, properties, args[0], type.Name, AccessibilityText(type.DeclaredAccessibility))];
            }
        }

        return One(DiagnosticDescriptors.InaccessibleJob, location, args[0], args[1], "not accessible");
    }

    private static IEnumerable<Diagnostic> One(DiagnosticDescriptor descriptor, Location location, params object[] args)
        => [Diagnostic.Create(descriptor, location, args)];

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Private => "private",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => accessibility.ToString().ToLowerInvariant(),
    };

    private static string MethodKindText(string kind) => kind switch
    {
        nameof(MethodKind.LocalFunction) => "local function",
        nameof(MethodKind.AnonymousFunction) => "lambda",
        nameof(MethodKind.PropertyGet) or nameof(MethodKind.PropertySet) => "property accessor",
        nameof(MethodKind.EventAdd) or nameof(MethodKind.EventRemove) => "event accessor",
        nameof(MethodKind.Constructor) or nameof(MethodKind.StaticConstructor) => "constructor",
        nameof(MethodKind.UserDefinedOperator) or nameof(MethodKind.Conversion) => "operator",
        _ => kind,
    };
}

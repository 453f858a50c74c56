using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TaskQueue.Generators.Shared
{
    /// <summary>
    /// Checks a [Job] method's shape, attribute values and parameter/result types. Used by the generator
    /// (emit or skip) and by the analyzers (report each problem at its location).
    /// </summary>
    internal static class JobMethodInspector
    {
        /// <summary>The metadata name of the job attribute.</summary>
        public const string JobAttributeMetadataName = "TaskQueue.JobAttribute";

        /// <summary>Inspects <paramref name="method"/> with its <paramref name="attribute"/>; a fresh <see cref="PayloadTypeAnalyzer"/> that knows the compilation's JsonSerializerContexts is used when none is given.</summary>
        public static JobMethodInspection Inspect(IMethodSymbol method, AttributeData attribute, PayloadTypeAnalyzer? types = null, CancellationToken cancellationToken = default)
        {
            types ??= new PayloadTypeAnalyzer(method.ContainingAssembly is ISourceAssemblySymbol source ? JsonContextIndex.For(source.Compilation) : null);
            var values = JobAttributeValues.Read(attribute);
            var problems = ImmutableArray.CreateBuilder<JobProblem>();
            var methodName = method.Name;
            var methodLocation = method.Locations.FirstOrDefault();

            CheckMethodShape(method, methodLocation, problems);
            CheckAttributeValues(method, values, attribute, methodLocation, problems);
            cancellationToken.ThrowIfCancellationRequested();

            var parameters = ImmutableArray.CreateBuilder<JobParameterInspection>(method.Parameters.Length);
            var tokens = 0;
            var contexts = 0;
            foreach (var parameter in method.Parameters)
            {
                var location = parameter.Locations.FirstOrDefault() ?? methodLocation;
                if (parameter.RefKind != RefKind.None)
                {
                    problems.Add(new JobProblem(JobProblemKind.ByRefParameter, location, methodName, parameter.Name, RefKindText(parameter.RefKind)));
                }

                if (parameter.IsParams)
                {
                    problems.Add(new JobProblem(JobProblemKind.ParamsParameter, location, methodName, parameter.Name));
                }

                var typeName = parameter.Type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
                if (typeName == "System.Threading.CancellationToken")
                {
                    if (++tokens > 1)
                    {
                        problems.Add(new JobProblem(JobProblemKind.DuplicateCancellationToken, location, methodName, parameter.Name));
                    }

                    parameters.Add(new JobParameterInspection(parameter, JobParameterRole.CancellationToken, null));
                    continue;
                }

                if (typeName == "TaskQueue.JobContext")
                {
                    if (++contexts > 1)
                    {
                        problems.Add(new JobProblem(JobProblemKind.DuplicateJobContext, location, methodName, parameter.Name));
                    }

                    parameters.Add(new JobParameterInspection(parameter, JobParameterRole.JobContext, null));
                    continue;
                }

                var result = types.Analyze(parameter.Type, parameter.Name);
                if (!result.IsSupported)
                {
                    problems.Add(new JobProblem(JobProblemKind.UnsupportedParameterType, location, methodName, parameter.Name, result.TypeName!, result.Reason!, result.MemberPath!) { ContextCandidate = result.ContextCandidate });
                }

                parameters.Add(new JobParameterInspection(parameter, JobParameterRole.Payload, result.Shape));
            }

            var returnKind = ClassifyReturn(method.ReturnType, out var resultType);
            PayloadTypeShape? resultShape = null;
            var returnLocation = ReturnTypeLocation(method, cancellationToken) ?? methodLocation;
            if (returnKind == JobReturnKind.Unsupported)
            {
                problems.Add(new JobProblem(JobProblemKind.UnsupportedReturnType, returnLocation, methodName, method.ReturnType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
            }
            else if (resultType is not null)
            {
                var result = types.Analyze(resultType, "result");
                if (result.IsSupported)
                {
                    resultShape = result.Shape;
                }
                else
                {
                    problems.Add(new JobProblem(JobProblemKind.UnsupportedResultType, returnLocation, methodName, result.TypeName!, result.Reason!, result.MemberPath!) { ContextCandidate = result.ContextCandidate });
                }
            }

            return new JobMethodInspection(method, values, parameters.MoveToImmutable(), returnKind, resultShape, problems.ToImmutable());
        }

        private static void CheckMethodShape(IMethodSymbol method, Location? location, ImmutableArray<JobProblem>.Builder problems)
        {
            var name = method.Name;
            if (method.MethodKind != MethodKind.Ordinary)
            {
                problems.Add(new JobProblem(JobProblemKind.UnsupportedMethodKind, location, name, method.MethodKind.ToString()));
            }

            if (method.IsGenericMethod)
            {
                problems.Add(new JobProblem(JobProblemKind.GenericMethod, location, name));
            }

            if (!IsCallableFromAssembly(method.DeclaredAccessibility))
            {
                problems.Add(new JobProblem(JobProblemKind.InaccessibleMethod, location, name, AccessibilityText(method.DeclaredAccessibility)));
            }

            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                var typeName = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
                if (type.IsGenericType)
                {
                    problems.Add(new JobProblem(JobProblemKind.GenericContainingType, location, name, typeName));
                }

                if (!IsCallableFromAssembly(type.DeclaredAccessibility))
                {
                    problems.Add(new JobProblem(JobProblemKind.InaccessibleContainingType, location, name, typeName));
                }
            }

            var containing = method.ContainingType;
            if (!method.IsStatic && containing is not null)
            {
                var typeName = containing.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
                string? reason = containing.TypeKind switch
                {
                    TypeKind.Interface => "interfaces cannot be registered as the job's service",
                    TypeKind.Struct => "structs cannot be resolved as scoped services",
                    _ when containing.IsStatic => "static classes have no instances",
                    _ when containing.IsAbstract => "abstract classes cannot be constructed by DI",
                    _ => null,
                };
                if (reason is not null)
                {
                    problems.Add(new JobProblem(JobProblemKind.UnresolvableInstanceType, location, name, typeName, reason));
                }
            }
        }

        private static void CheckAttributeValues(IMethodSymbol method, JobAttributeValues values, AttributeData attribute, Location? fallback, ImmutableArray<JobProblem>.Builder problems)
        {
            var name = method.Name;
            if (values.Name is not null && !JobNames.IsValidJobName(values.Name))
            {
                problems.Add(new JobProblem(JobProblemKind.InvalidJobName, ArgumentLocation(attribute, "Name") ?? fallback, name, values.Name));
            }

            if (!JobNames.IsValidQueueName(values.Queue))
            {
                problems.Add(new JobProblem(JobProblemKind.InvalidQueueName, ArgumentLocation(attribute, "Queue") ?? fallback, name, values.Queue ?? "null"));
            }

            if (values.MaxRetries < 0)
            {
                problems.Add(new JobProblem(JobProblemKind.NegativeMaxRetries, ArgumentLocation(attribute, "MaxRetries") ?? fallback, name, values.MaxRetries.ToString(CultureInfo.InvariantCulture)));
            }

            if (values.Priority < 0 || values.Priority > 3)
            {
                problems.Add(new JobProblem(JobProblemKind.UndefinedEnumValue, ArgumentLocation(attribute, "Priority") ?? fallback, name, "Priority", values.Priority.ToString(CultureInfo.InvariantCulture)));
            }

            if (values.Retry < 0 || values.Retry > 2)
            {
                problems.Add(new JobProblem(JobProblemKind.UndefinedEnumValue, ArgumentLocation(attribute, "Retry") ?? fallback, name, "Retry", values.Retry.ToString(CultureInfo.InvariantCulture)));
            }

            if (values.Timeout is not null)
            {
                var location = ArgumentLocation(attribute, "Timeout") ?? fallback;
                if (!JobAttributeValues.TryParseTimeSpan(values.Timeout, out var timeout))
                {
                    problems.Add(new JobProblem(JobProblemKind.UnparsableTimeSpan, location, name, "Timeout", values.Timeout));
                }
                else if (timeout <= TimeSpan.Zero)
                {
                    problems.Add(new JobProblem(JobProblemKind.NonPositiveTimeout, location, name, values.Timeout));
                }
            }

            var baseOk = CheckDelay(values.RetryBaseDelay, "RetryBaseDelay", out var baseDelay);
            var maxOk = CheckDelay(values.RetryMaxDelay, "RetryMaxDelay", out var maxDelay);
            if (baseOk && maxOk && baseDelay > maxDelay)
            {
                problems.Add(new JobProblem(JobProblemKind.RetryBaseDelayAboveMax, ArgumentLocation(attribute, "RetryBaseDelay") ?? fallback, name, values.RetryBaseDelay!, values.RetryMaxDelay!));
            }

            bool CheckDelay(string? text, string property, out TimeSpan delay)
            {
                var location = ArgumentLocation(attribute, property) ?? fallback;
                if (!JobAttributeValues.TryParseTimeSpan(text, out delay))
                {
                    problems.Add(new JobProblem(JobProblemKind.UnparsableTimeSpan, location, name, property, text ?? "null"));
                    return false;
                }

                if (delay < TimeSpan.Zero)
                {
                    problems.Add(new JobProblem(JobProblemKind.NegativeRetryDelay, location, name, property, text!));
                    return false;
                }

                return true;
            }
        }

        /// <summary>Classifies a return type; <paramref name="resultType"/> is T of Task&lt;T&gt;/ValueTask&lt;T&gt;.</summary>
        public static JobReturnKind ClassifyReturn(ITypeSymbol returnType, out ITypeSymbol? resultType)
        {
            resultType = null;
            if (returnType.SpecialType == SpecialType.System_Void)
            {
                return JobReturnKind.Void;
            }

            if (returnType is not INamedTypeSymbol named)
            {
                return JobReturnKind.Unsupported;
            }

            switch (named.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat))
            {
                case "System.Threading.Tasks.Task": return JobReturnKind.Task;
                case "System.Threading.Tasks.ValueTask": return JobReturnKind.ValueTask;
                case "System.Threading.Tasks.Task<TResult>":
                    resultType = named.TypeArguments[0];
                    return JobReturnKind.TaskOfT;
                case "System.Threading.Tasks.ValueTask<TResult>":
                    resultType = named.TypeArguments[0];
                    return JobReturnKind.ValueTaskOfT;
                default:
                    return JobReturnKind.Unsupported;
            }
        }

        private static Location? ReturnTypeLocation(IMethodSymbol method, CancellationToken cancellationToken)
        {
            var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken);
            return syntax is MethodDeclarationSyntax declaration ? declaration.ReturnType.GetLocation() : null;
        }

        private static Location? ArgumentLocation(AttributeData attribute, string property)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax() is not AttributeSyntax syntax || syntax.ArgumentList is null)
            {
                return null;
            }

            foreach (var argument in syntax.ArgumentList.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == property)
                {
                    return argument.Expression.GetLocation();
                }
            }

            return null;
        }

        private static bool IsCallableFromAssembly(Accessibility accessibility)
            => accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

        private static string AccessibilityText(Accessibility accessibility) => accessibility switch
        {
            Accessibility.Private => "private",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => accessibility.ToString().ToLowerInvariant(),
        };

        private static string RefKindText(RefKind kind) => kind switch
        {
            RefKind.Ref => "ref",
            RefKind.Out => "out",
            RefKind.In => "in",
            _ => "ref readonly",
        };
    }
}

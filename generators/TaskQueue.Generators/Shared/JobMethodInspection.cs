using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TaskQueue.Generators.Shared
{
    /// <summary>How a job method returns.</summary>
    internal enum JobReturnKind
    {
        /// <summary><c>void</c>.</summary>
        Void,
        /// <summary><c>Task</c>.</summary>
        Task,
        /// <summary><c>ValueTask</c>.</summary>
        ValueTask,
        /// <summary><c>Task&lt;T&gt;</c>: T is the result.</summary>
        TaskOfT,
        /// <summary><c>ValueTask&lt;T&gt;</c>: T is the result.</summary>
        ValueTaskOfT,
        /// <summary>Anything else (a problem is reported).</summary>
        Unsupported,
    }

    /// <summary>What a job parameter is for.</summary>
    internal enum JobParameterRole
    {
        /// <summary>Stored in the payload.</summary>
        Payload,
        /// <summary>Injected: the attempt's cancellation token.</summary>
        CancellationToken,
        /// <summary>Injected: the <c>JobContext</c>.</summary>
        JobContext,
    }

    /// <summary>One parameter of a job method and its role; <see cref="Shape"/> is set for supported payload parameters.</summary>
    internal sealed class JobParameterInspection
    {
        public JobParameterInspection(IParameterSymbol parameter, JobParameterRole role, PayloadTypeShape? shape)
        {
            Parameter = parameter;
            Role = role;
            Shape = shape;
        }

        /// <summary>The parameter.</summary>
        public IParameterSymbol Parameter { get; }

        /// <summary>Its role.</summary>
        public JobParameterRole Role { get; }

        /// <summary>The payload shape, or null (injected or unsupported).</summary>
        public PayloadTypeShape? Shape { get; }
    }

    /// <summary>Everything <see cref="JobMethodInspector"/> found out about one [Job] method.</summary>
    internal sealed class JobMethodInspection
    {
        public JobMethodInspection(
            IMethodSymbol method,
            JobAttributeValues attribute,
            ImmutableArray<JobParameterInspection> parameters,
            JobReturnKind returnKind,
            PayloadTypeShape? resultShape,
            ImmutableArray<JobProblem> problems)
        {
            Method = method;
            Attribute = attribute;
            Parameters = parameters;
            ReturnKind = returnKind;
            ResultShape = resultShape;
            Problems = problems;
        }

        /// <summary>The method.</summary>
        public IMethodSymbol Method { get; }

        /// <summary>The attribute's values.</summary>
        public JobAttributeValues Attribute { get; }

        /// <summary>The parameters in declaration order.</summary>
        public ImmutableArray<JobParameterInspection> Parameters { get; }

        /// <summary>How it returns.</summary>
        public JobReturnKind ReturnKind { get; }

        /// <summary>The shape of T for Task&lt;T&gt;/ValueTask&lt;T&gt;, when supported.</summary>
        public PayloadTypeShape? ResultShape { get; }

        /// <summary>Every problem found; empty when the job is fine.</summary>
        public ImmutableArray<JobProblem> Problems { get; }

        /// <summary>The stored job name: the attribute's Name or the method name.</summary>
        public string JobName => Attribute.Name ?? Method.Name;

        /// <summary>True when any problem is an error; the generator emits nothing for such a job.</summary>
        public bool HasErrors
        {
            get
            {
                foreach (var problem in Problems)
                {
                    if (problem.IsError)
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }
}

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TaskQueue.Generators.Shared
{
    /// <summary>
    /// One problem of a [Job] method: a stable kind, the message arguments (documented on each
    /// <see cref="JobProblemKind"/> member) and where to report it. Only the analyzers turn this into a
    /// diagnostic; the generator just refuses to emit code for a job with an error.
    /// </summary>
    internal sealed class JobProblem
    {
        public JobProblem(JobProblemKind kind, Location? location, params string[] arguments)
        {
            Kind = kind;
            Location = location;
            Arguments = ImmutableArray.Create(arguments);
        }

        /// <summary>What is wrong.</summary>
        public JobProblemKind Kind { get; }

        /// <summary>Where: the parameter, return type, attribute argument or method name.</summary>
        public Location? Location { get; }

        /// <summary>Message arguments, in the order documented on the kind.</summary>
        public ImmutableArray<string> Arguments { get; }

        /// <summary>
        /// For serialization problems: the type to declare in a user JsonSerializerContext to fix it, or null when a
        /// context cannot help (the analyzers then report the plain serialization error).
        /// </summary>
        public ITypeSymbol? ContextCandidate { get; set; }

        /// <summary>True when the job cannot work; every current kind is an error.</summary>
        public bool IsError => true;

        /// <inheritdoc/>
        public override string ToString() => Kind + "(" + string.Join(", ", Arguments) + ")";
    }
}

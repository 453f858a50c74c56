using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TaskQueue.Generators.Shared
{
    /// <summary>One recurring schedule declared on a job method, read from its attribute.</summary>
    internal sealed class RecurringDeclaration
    {
        public RecurringDeclaration(AttributeData attribute, string name, string? cron, string? timeZone, int misfire, int maxCatchUp, int overlap, IReadOnlyList<TypedConstant> arguments, bool fromJobAttribute)
        {
            Attribute = attribute;
            Name = name;
            Cron = cron;
            TimeZone = timeZone;
            Misfire = misfire;
            MaxCatchUp = maxCatchUp;
            Overlap = overlap;
            Arguments = arguments;
            FromJobAttribute = fromJobAttribute;
        }

        /// <summary>The attribute it came from (for diagnostics' locations).</summary>
        public AttributeData Attribute { get; }

        public string Name { get; }

        public string? Cron { get; }

        public string? TimeZone { get; }

        public int Misfire { get; }

        public int MaxCatchUp { get; }

        public int Overlap { get; }

        /// <summary>The fixed arguments (none for <c>[Job(Cron = ...)]</c>).</summary>
        public IReadOnlyList<TypedConstant> Arguments { get; }

        /// <summary>True for <c>[Job(Cron = ...)]</c>.</summary>
        public bool FromJobAttribute { get; }
    }

    /// <summary>Reads the recurring schedules declared on a job method: <c>[Job(Cron = ...)]</c> and each <c>[Recurring(...)]</c>.</summary>
    internal static class RecurringDeclarations
    {
        /// <summary>The metadata name of the recurring attribute.</summary>
        public const string RecurringAttributeMetadataName = "TaskQueue.RecurringAttribute";

        public static List<RecurringDeclaration> Read(IMethodSymbol method, AttributeData jobAttribute, string jobName)
        {
            var declarations = new List<RecurringDeclaration>();
            string? cron = null;
            string? zone = null;
            foreach (var pair in jobAttribute.NamedArguments)
            {
                if (pair.Key == "Cron")
                {
                    cron = pair.Value.Value as string;
                }
                else if (pair.Key == "TimeZone")
                {
                    zone = pair.Value.Value as string;
                }
            }

            if (cron is not null)
            {
                declarations.Add(new RecurringDeclaration(jobAttribute, jobName, cron, zone, 0, 10, 0, new TypedConstant[0], fromJobAttribute: true));
            }

            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != RecurringAttributeMetadataName || attribute.ConstructorArguments.Length < 2)
                {
                    continue;
                }

                var args = attribute.ConstructorArguments;
                IReadOnlyList<TypedConstant> values = args.Length > 2 && args[2].Kind == TypedConstantKind.Array && !args[2].IsNull
                    ? args[2].Values.ToList()
                    : new List<TypedConstant>();
                string? timeZone = null;
                int misfire = 0, maxCatchUp = 10, overlap = 0;
                foreach (var pair in attribute.NamedArguments)
                {
                    switch (pair.Key)
                    {
                        case "TimeZone": timeZone = pair.Value.Value as string; break;
                        case "Misfire": misfire = pair.Value.Value is int m ? m : 0; break;
                        case "MaxCatchUp": maxCatchUp = pair.Value.Value is int c ? c : 10; break;
                        case "Overlap": overlap = pair.Value.Value is int o ? o : 0; break;
                    }
                }

                declarations.Add(new RecurringDeclaration(attribute, args[0].Value as string ?? string.Empty, args[1].Value as string, timeZone, misfire, maxCatchUp, overlap, values, fromJobAttribute: false));
            }

            return declarations;
        }
    }
}

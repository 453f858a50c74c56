using System;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace TaskQueue.Generators.Shared
{
    /// <summary>The named arguments of one <c>[Job]</c> attribute, with the attribute's own defaults filled in.</summary>
    internal sealed class JobAttributeValues
    {
        // Mirrors TaskQueue.JobDefaults (netstandard2.0 cannot reference the runtime assembly).
        public const string DefaultQueue = "default";
        public const int DefaultMaxRetries = 3;
        public const string DefaultRetryBaseDelay = "00:00:01";
        public const string DefaultRetryMaxDelay = "01:00:00";
        public const int PriorityNormal = 2;

        /// <summary>The explicit Name, or null for the method name.</summary>
        public string? Name { get; private set; }

        /// <summary>The queue.</summary>
        public string? Queue { get; private set; } = DefaultQueue;

        /// <summary>The Priority enum value.</summary>
        public int Priority { get; private set; } = PriorityNormal;

        /// <summary>Retries before dead letter.</summary>
        public int MaxRetries { get; private set; } = DefaultMaxRetries;

        /// <summary>The Timeout text, or null.</summary>
        public string? Timeout { get; private set; }

        /// <summary>The RetryStrategy enum value.</summary>
        public int Retry { get; private set; }

        /// <summary>The RetryBaseDelay text.</summary>
        public string? RetryBaseDelay { get; private set; } = DefaultRetryBaseDelay;

        /// <summary>The RetryMaxDelay text.</summary>
        public string? RetryMaxDelay { get; private set; } = DefaultRetryMaxDelay;

        /// <summary>Reads the attribute's named arguments.</summary>
        public static JobAttributeValues Read(AttributeData attribute)
        {
            var values = new JobAttributeValues();
            foreach (var pair in attribute.NamedArguments)
            {
                var value = pair.Value.Value;
                switch (pair.Key)
                {
                    case "Name": values.Name = value as string; break;
                    case "Queue": values.Queue = value as string; break;
                    case "Priority": values.Priority = value is int p ? p : PriorityNormal; break;
                    case "MaxRetries": values.MaxRetries = value is int m ? m : DefaultMaxRetries; break;
                    case "Timeout": values.Timeout = value as string; break;
                    case "Retry": values.Retry = value is int r ? r : 0; break;
                    case "RetryBaseDelay": values.RetryBaseDelay = value as string; break;
                    case "RetryMaxDelay": values.RetryMaxDelay = value as string; break;
                }
            }

            return values;
        }

        /// <summary>Parses attribute time text exactly as the runtime documents it: <c>TimeSpan.TryParse</c> with the invariant culture.</summary>
        public static bool TryParseTimeSpan(string? text, out TimeSpan value)
        {
            value = default;
            return text is not null && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
        }
    }
}

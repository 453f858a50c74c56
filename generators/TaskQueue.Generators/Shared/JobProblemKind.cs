namespace TaskQueue.Generators.Shared
{
    /// <summary>
    /// What is wrong with a [Job] method. Values are stable (the analyzers map each to a fixed diagnostic id);
    /// add new kinds at the end, never renumber.
    /// </summary>
    internal enum JobProblemKind
    {
        /// <summary>Args: method. The method has type parameters.</summary>
        GenericMethod = 1,
        /// <summary>Args: method, type. A containing type has type parameters.</summary>
        GenericContainingType = 2,
        /// <summary>Args: method, parameter, modifier ("ref", "out", "in", "ref readonly").</summary>
        ByRefParameter = 3,
        /// <summary>Args: method, parameter. A <c>params</c> parameter.</summary>
        ParamsParameter = 4,
        /// <summary>Args: method, accessibility. The method is private or protected.</summary>
        InaccessibleMethod = 5,
        /// <summary>Args: method, type. A containing type is private or protected.</summary>
        InaccessibleContainingType = 6,
        /// <summary>Args: method, return type. Not void, Task, ValueTask, Task&lt;T&gt; or ValueTask&lt;T&gt;.</summary>
        UnsupportedReturnType = 7,
        /// <summary>Args: method, parameter, type, reason, member path.</summary>
        UnsupportedParameterType = 8,
        /// <summary>Args: method, result type, reason, member path. The T of Task&lt;T&gt; cannot be serialized.</summary>
        UnsupportedResultType = 9,
        /// <summary>Args: method, parameter. A second CancellationToken parameter.</summary>
        DuplicateCancellationToken = 10,
        /// <summary>Args: method, parameter. A second JobContext parameter.</summary>
        DuplicateJobContext = 11,
        /// <summary>Args: method, value. MaxRetries is negative.</summary>
        NegativeMaxRetries = 12,
        /// <summary>Args: method, property ("Timeout", "RetryBaseDelay", "RetryMaxDelay"), value. Not a TimeSpan in the invariant "c" format.</summary>
        UnparsableTimeSpan = 13,
        /// <summary>Args: method, value. Timeout is zero or negative.</summary>
        NonPositiveTimeout = 14,
        /// <summary>Args: method, value. A retry delay is negative.</summary>
        NegativeRetryDelay = 15,
        /// <summary>Args: method, base delay, max delay. RetryBaseDelay is above RetryMaxDelay.</summary>
        RetryBaseDelayAboveMax = 16,
        /// <summary>Args: method, value. Name breaks the <c>JobNames</c> rules.</summary>
        InvalidJobName = 17,
        /// <summary>Args: method, value. Queue breaks the <c>JobNames</c> rules.</summary>
        InvalidQueueName = 18,
        /// <summary>Args: method, kind. Local functions, accessors, operators and the like cannot be jobs.</summary>
        UnsupportedMethodKind = 19,
        /// <summary>Args: method, type, reason. An instance job's type cannot be resolved from DI (static, abstract, interface, struct).</summary>
        UnresolvableInstanceType = 20,
        /// <summary>Args: method, value. Priority or Retry is not a defined enum value.</summary>
        UndefinedEnumValue = 21,
    }
}

using Microsoft.CodeAnalysis;

namespace TaskQueue.Analyzers;

/// <summary>
/// Every TaskQueue diagnostic. IDs are assigned by hand and never reused or renumbered: users suppress them
/// by ID, and docs/diagnostics.md links to them by anchor.
/// </summary>
public static class DiagnosticDescriptors
{
    /// <summary>TQ0001: a parameter cannot be serialized.</summary>
    public const string UnsupportedParameterTypeId = "TQ0001";

    /// <summary>TQ0002: the result cannot be serialized.</summary>
    public const string UnsupportedResultTypeId = "TQ0002";

    /// <summary>TQ0003: a type is serializable only through a JsonSerializerContext that does not declare it (a declared type is fine).</summary>
    public const string TypeMissingFromJsonContextId = "TQ0003";

    /// <summary>TQ0004: generic job method or generic containing type.</summary>
    public const string GenericJobId = "TQ0004";

    /// <summary>TQ0005: ref/out/in/params parameter.</summary>
    public const string UnsupportedParameterModifierId = "TQ0005";

    /// <summary>TQ0006: the job method or a containing type is not accessible to generated code.</summary>
    public const string InaccessibleJobId = "TQ0006";

    /// <summary>TQ0007: return type is not void, Task, ValueTask, Task&lt;T&gt; or ValueTask&lt;T&gt;.</summary>
    public const string UnsupportedReturnTypeId = "TQ0007";

    /// <summary>TQ0008: more than one CancellationToken or JobContext parameter.</summary>
    public const string DuplicateInjectedParameterId = "TQ0008";

    /// <summary>TQ0009: two jobs share a name.</summary>
    public const string DuplicateJobNameId = "TQ0009";

    /// <summary>TQ0010: the job name is not usable in storage keys.</summary>
    public const string InvalidJobNameId = "TQ0010";

    /// <summary>TQ0011: negative MaxRetries.</summary>
    public const string NegativeMaxRetriesId = "TQ0011";

    /// <summary>TQ0012: Timeout does not parse or is not positive.</summary>
    public const string InvalidTimeoutId = "TQ0012";

    /// <summary>TQ0013: the queue name is not usable in storage keys.</summary>
    public const string InvalidQueueNameId = "TQ0013";

    /// <summary>TQ0014: a retry delay does not parse or is negative.</summary>
    public const string InvalidRetryDelayId = "TQ0014";

    /// <summary>TQ0015: the retry base delay is above the cap.</summary>
    public const string RetryBaseDelayAboveMaxId = "TQ0015";

    /// <summary>TQ0016: an instance job's type cannot be created by dependency injection.</summary>
    public const string JobTypeNotConstructibleId = "TQ0016";

    /// <summary>TQ0017: a [Job] method is called directly.</summary>
    public const string DirectJobCallId = "TQ0017";

    /// <summary>TQ0018: the task of an enqueue is discarded.</summary>
    public const string EnqueueNotAwaitedId = "TQ0018";

    /// <summary>TQ0019: Priority or Retry is not a defined enum value.</summary>
    public const string UndefinedEnumValueId = "TQ0019";

    /// <summary>TQ0020: [Job] on something that is not an ordinary method.</summary>
    public const string UnsupportedMethodKindId = "TQ0020";

    /// <summary>TQ0021: a problem the shared job model knows and this analyzer version has no dedicated rule for.</summary>
    public const string OtherJobProblemId = "TQ0021";

    /// <summary>TQ0022: a recurring schedule's cron expression is invalid.</summary>
    public const string InvalidCronExpressionId = "TQ0022";

    /// <summary>TQ0023: a recurring schedule's time zone is unknown.</summary>
    public const string UnknownTimeZoneId = "TQ0023";

    /// <summary>TQ0024: a recurring schedule declaration cannot be registered (arguments, name, catch-up bound, duplicate).</summary>
    public const string InvalidRecurringDeclarationId = "TQ0024";

    private const string HelpBase = "https://github.com/taskqueue/taskqueue/blob/main/docs/diagnostics.md#";
    private const string Serialization = "TaskQueue.Serialization";
    private const string Declaration = "TaskQueue.Declaration";
    private const string Configuration = "TaskQueue.Configuration";
    private const string Usage = "TaskQueue.Usage";

    /// <summary>TQ0001. Args: method, parameter, unsupported type, reason, member path.</summary>
    public static readonly DiagnosticDescriptor UnsupportedParameterType = Error(
        UnsupportedParameterTypeId,
        "Job parameter cannot be serialized",
        "Job '{0}': parameter '{1}' cannot be serialized: '{4}' has type '{2}': {3}",
        Serialization,
        "The generated job serializer supports primitives, strings, enums, Guid, date and time types, decimal, nullable values, arrays, lists, string-keyed dictionaries and records or classes built from those. Other parameter types cannot be stored with the job.");

    /// <summary>TQ0002. Args: method, unsupported type, reason, member path.</summary>
    public static readonly DiagnosticDescriptor UnsupportedResultType = Error(
        UnsupportedResultTypeId,
        "Job result cannot be serialized",
        "Job '{0}': the result cannot be serialized: '{3}' has type '{1}': {2}",
        Serialization,
        "A job's result is stored as JSON by the generated serializer, so it must be a type the serializer supports.");

    /// <summary>TQ0003. Args: job, where (parameter, "result", or a member path such as "order.Link"), type to declare, context.</summary>
    public static readonly DiagnosticDescriptor TypeMissingFromJsonContext = Error(
        TypeMissingFromJsonContextId,
        "Type is not declared in the JsonSerializerContext",
        "Job '{0}': '{1}' has type '{2}', which the job serializer can only handle through a JsonSerializerContext; add [JsonSerializable(typeof({2}))] to '{3}'",
        Serialization,
        "Types the generated serializer does not support natively are serialized through the JsonTypeInfo of a user JsonSerializerContext, which must declare them with [JsonSerializable].");

    /// <summary>TQ0004. Args: method, what is generic ("the method" or "containing type 'X'").</summary>
    public static readonly DiagnosticDescriptor GenericJob = Error(
        GenericJobId,
        "Job method must not be generic",
        "Job '{0}': {1} is generic; a job is stored by name and cannot carry type arguments",
        Declaration,
        "A job is stored by name and its arguments as JSON; type arguments cannot be stored, so neither the method nor its containing types may be generic.");

    /// <summary>TQ0005. Args: method, parameter, modifier.</summary>
    public static readonly DiagnosticDescriptor UnsupportedParameterModifier = Error(
        UnsupportedParameterModifierId,
        "Job parameter has an unsupported modifier",
        "Job '{0}': parameter '{1}' is '{2}', but job arguments are passed by value",
        Declaration,
        "Job arguments are copied into storage and read back in another process, so ref, out, in and params parameters have no meaning.");

    /// <summary>TQ0006. Args: method, the method or type, its accessibility.</summary>
    public static readonly DiagnosticDescriptor InaccessibleJob = Error(
        InaccessibleJobId,
        "Job method must be accessible to generated code",
        "Job '{0}': '{1}' is {2}; make it public or internal so the generated proxy and dispatch table can call it",
        Declaration,
        "The generated proxies and dispatch table live in the same assembly but outside the declaring type, so the job method and every containing type must be public or internal.");

    /// <summary>TQ0007. Args: job, return type.</summary>
    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error(
        UnsupportedReturnTypeId,
        "Job method has an unsupported return type",
        "Job '{0}': return type '{1}' is not supported; use void, Task, ValueTask, Task<T> or ValueTask<T>",
        Declaration,
        "The worker awaits a job and stores its result, so a job returns void, Task, ValueTask, Task<T> or ValueTask<T>.");

    /// <summary>TQ0008. Args: method, parameter, injected type.</summary>
    public static readonly DiagnosticDescriptor DuplicateInjectedParameter = Error(
        DuplicateInjectedParameterId,
        "More than one injected parameter of the same type",
        "Job '{0}': parameter '{1}' is a second '{2}'; the worker injects exactly one",
        Declaration,
        "CancellationToken and JobContext parameters are injected by the worker, not serialized; a second one is a mistake.");

    /// <summary>TQ0009. Args: name, other method.</summary>
    public static readonly DiagnosticDescriptor DuplicateJobName = Error(
        DuplicateJobNameId,
        "Job name is used twice",
        "Job name '{0}' is also used by '{1}'; job names must be unique in an assembly",
        Declaration,
        "The worker finds a job's code by its stored name, so two jobs of one assembly cannot share a name. Set Name on one of them.",
        WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>TQ0010. Args: method, name.</summary>
    public static readonly DiagnosticDescriptor InvalidJobName = Error(
        InvalidJobNameId,
        "Job name is not valid",
        "Job '{0}': name '{1}' is not valid; use 1 to 64 characters of A-Z, a-z, 0-9, '-', '_', '.' or ':'",
        Configuration,
        "Job names end up in storage keys, so they are restricted to characters that are safe there.");

    /// <summary>TQ0011. Args: job, value.</summary>
    public static readonly DiagnosticDescriptor NegativeMaxRetries = Error(
        NegativeMaxRetriesId,
        "MaxRetries must not be negative",
        "Job '{0}': MaxRetries is {1}; use 0 for no retries or a positive number",
        Configuration,
        "MaxRetries counts retries after the first attempt; a negative count has no meaning.");

    /// <summary>TQ0012. Args: method, value, why ("is not a time span", "is not positive").</summary>
    public static readonly DiagnosticDescriptor InvalidTimeout = Error(
        InvalidTimeoutId,
        "Timeout is not a positive time span",
        "Job '{0}': Timeout '{1}' {2}; write a positive time span such as \"00:05:00\"",
        Configuration,
        "Timeout is parsed with TimeSpan.Parse in the invariant culture and must be positive.");

    /// <summary>TQ0013. Args: job, queue.</summary>
    public static readonly DiagnosticDescriptor InvalidQueueName = Error(
        InvalidQueueNameId,
        "Queue name is not valid",
        "Job '{0}': queue name '{1}' is not valid; use 1 to 64 characters of A-Z, a-z, 0-9, '-', '_' or '.'",
        Configuration,
        "Queue names end up in storage keys (as a cluster hash tag), so they are restricted to characters that are safe there.");

    /// <summary>TQ0014. Args: method, property, value, why ("is not a time span", "is negative").</summary>
    public static readonly DiagnosticDescriptor InvalidRetryDelay = Error(
        InvalidRetryDelayId,
        "Retry delay is not a valid time span",
        "Job '{0}': {1} '{2}' {3}; write a time span such as \"00:00:01\"",
        Configuration,
        "Retry delays are parsed with TimeSpan.Parse in the invariant culture and must not be negative.");

    /// <summary>TQ0015. Args: job, base, max.</summary>
    public static readonly DiagnosticDescriptor RetryBaseDelayAboveMax = Error(
        RetryBaseDelayAboveMaxId,
        "Retry base delay is above the maximum delay",
        "Job '{0}': RetryBaseDelay '{1}' is longer than RetryMaxDelay '{2}'",
        Configuration,
        "The maximum delay caps every retry delay, so it must be at least the base delay.");

    /// <summary>TQ0016. Args: method, type, why.</summary>
    public static readonly DiagnosticDescriptor JobTypeNotConstructible = Error(
        JobTypeNotConstructibleId,
        "Instance job's type cannot be created by dependency injection",
        "Job '{0}': instance jobs resolve '{1}' from a DI scope, but {2}; make the method static or make the type a class with a public constructor",
        Declaration,
        "For an instance job the worker resolves the declaring type from a dependency-injection scope per attempt, so the type must be a non-abstract class with a public constructor.");

    /// <summary>TQ0017. Args: job.</summary>
    public static readonly DiagnosticDescriptor DirectJobCall = new(
        DirectJobCallId,
        "Job method called directly",
        "'{0}' is a job but is called directly, so it runs now, in this process; use Jobs.{0}.EnqueueAsync(...) to run it in the background",
        Usage,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "Calling a [Job] method runs it synchronously in the caller. That is sometimes meant (tests, composing jobs), but usually the generated Jobs.<Name>.EnqueueAsync was meant.",
        helpLinkUri: HelpBase + "tq0017");

    /// <summary>TQ0018. Args: method.</summary>
    public static readonly DiagnosticDescriptor EnqueueNotAwaited = new(
        EnqueueNotAwaitedId,
        "Enqueue task is discarded",
        "The task returned by '{0}' is neither awaited nor stored; the job may not be enqueued and errors are lost",
        Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "EnqueueAsync and ScheduleAsync finish when the store has the job. Discarding their task hides failures (invalid options, storage down) and may let the caller move on before the job exists.",
        helpLinkUri: HelpBase + "tq0018");

    /// <summary>TQ0019. Args: method, property, value.</summary>
    public static readonly DiagnosticDescriptor UndefinedEnumValue = Error(
        UndefinedEnumValueId,
        "Attribute value is not a defined enum member",
        "Job '{0}': {1} is {2}, which is not a defined value",
        Configuration,
        "Priority and Retry must be one of the named values; a cast integer would be rejected at run time.");

    /// <summary>TQ0020. Args: method, method kind.</summary>
    public static readonly DiagnosticDescriptor UnsupportedMethodKind = Error(
        UnsupportedMethodKindId,
        "Only ordinary methods can be jobs",
        "Job '{0}': a {1} cannot be a job; put [Job] on an ordinary method",
        Declaration,
        "Generated code calls a job by name from its dispatch table, so only ordinary (static or instance) methods can be jobs: not local functions, lambdas, accessors or operators.");

    /// <summary>TQ0021. Args: method, problem kind, problem arguments.</summary>
    public static readonly DiagnosticDescriptor OtherJobProblem = Error(
        OtherJobProblemId,
        "Job cannot be generated",
        "Job '{0}' cannot be generated: {1} ({2})",
        Declaration,
        "The generator found a problem that has no dedicated diagnostic yet; no code is generated for this job.");

    /// <summary>TQ0022. Args: schedule, expression, problem.</summary>
    public static readonly DiagnosticDescriptor InvalidCronExpression = Error(
        InvalidCronExpressionId,
        "Invalid cron expression",
        "Recurring schedule '{0}': cron expression '{1}' is invalid: {2}",
        Configuration,
        "A recurring schedule's cron expression must have 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), in the syntax Cronos parses.");

    /// <summary>TQ0023. Args: schedule, time zone.</summary>
    public static readonly DiagnosticDescriptor UnknownTimeZone = Error(
        UnknownTimeZoneId,
        "Unknown time zone",
        "Recurring schedule '{0}': time zone '{1}' is unknown; use an IANA id such as 'Europe/Berlin' (or a Windows id)",
        Configuration,
        "A recurring schedule's occurrences are computed in its time zone, which must be known to the system's time zone database.");

    /// <summary>TQ0024. Args: schedule, problem.</summary>
    public static readonly DiagnosticDescriptor InvalidRecurringDeclaration = Error(
        InvalidRecurringDeclarationId,
        "Recurring schedule cannot be registered",
        "Recurring schedule '{0}': {1}",
        Declaration,
        "A declared recurring schedule needs a valid unique name and exactly the job's arguments; [Job(Cron = ...)] only fits a job without arguments.");

    private static DiagnosticDescriptor Error(string id, string title, string message, string category, string description, params string[] tags)
        => new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, description, HelpBase + id.ToLowerInvariant(), tags);
}

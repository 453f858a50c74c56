using System.Reflection;
using System.Runtime.ExceptionServices;
using TaskQueue.Processing;

namespace TaskQueue.Generators.Tests.Infrastructure;

/// <summary>Reflection helpers over a compiled-and-loaded test program (reflection is fine in tests, never in generated code).</summary>
internal sealed class GeneratedAssembly
{
    public GeneratedAssembly(Assembly assembly, string registryTypeName)
    {
        Assembly = assembly;
        Registry = (IJobRegistry)Activator.CreateInstance(assembly.GetType(registryTypeName, throwOnError: true)!)!;
    }

    public Assembly Assembly { get; }

    public IJobRegistry Registry { get; }

    public Type Type(string name) => Assembly.GetType(name, throwOnError: true)!;

    public Type Proxy(string ns, string className) => Type(ns + ".Jobs+" + className);

    /// <summary>Calls a public static method by name and parameter count, rethrowing the real exception.</summary>
    public static object? Call(Type type, string method, params object?[] args)
    {
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m.Name == method && m.GetParameters().Length == args.Length)
            .Where(m => m.GetParameters().Zip(args).All(pa => pa.Second is null || pa.First.ParameterType.IsInstanceOfType(pa.Second) || pa.First.ParameterType.IsByRef))
            .ToList();
        Assert.True(candidates.Count == 1, $"Expected one {type.Name}.{method} taking {args.Length} arguments, found {candidates.Count}.");
        try
        {
            return candidates[0].Invoke(null, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    public static byte[] Serialize(Type proxy, params object?[] args) => (byte[])Call(proxy, "Serialize", args)!;

    /// <summary>Calls the generated Deserialize and returns its out values.</summary>
    public static object?[] Deserialize(Type proxy, byte[] payload, int parameterCount)
    {
        var args = new object?[parameterCount + 1];
        args[0] = new ReadOnlyMemory<byte>(payload);
        Call(proxy, "Deserialize", args);
        return args[1..];
    }

    public static JobContext Context(string name, IServiceProvider? services = null, CancellationToken token = default)
        => new(JobId.New(), name, "default", 1, DateTimeOffset.UtcNow, services ?? EmptyServices.Instance, token);

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}

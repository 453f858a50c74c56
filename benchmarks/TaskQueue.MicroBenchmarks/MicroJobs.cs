using TaskQueue;

namespace TaskQueue.MicroBenchmarks;

/// <summary>Jobs whose generated serializers and dispatch table the micro benchmarks exercise.</summary>
public static class MicroJobs
{
    /// <summary>A small payload: two short strings.</summary>
    [Job]
    public static void SendEmail(string to, string subject)
    {
        _ = to;
        _ = subject;
    }

    /// <summary>A payload of about 1 KB: an order with lines and tags.</summary>
    [Job]
    public static void PlaceOrder(Order order)
    {
        _ = order;
    }

    /// <summary>Padding so the dispatch table is not trivially small.</summary>
    [Job] public static void Job01(int a) => _ = a;
    /// <summary>Padding.</summary>
    [Job] public static void Job02(int a) => _ = a;
    /// <summary>Padding.</summary>
    [Job] public static void Job03(int a) => _ = a;
    /// <summary>Padding.</summary>
    [Job] public static void Job04(int a) => _ = a;
    /// <summary>Padding.</summary>
    [Job] public static void Job05(int a) => _ = a;
    /// <summary>Padding.</summary>
    [Job] public static void Job06(int a) => _ = a;
    /// <summary>Padding.</summary>
    [Job] public static void Job07(int a) => _ = a;
    /// <summary>Padding.</summary>
    [Job] public static void Job08(int a) => _ = a;
}

/// <summary>The small payload as one object, for System.Text.Json.</summary>
public sealed record EmailArgs(string To, string Subject);

/// <summary>An order (about 1 KB as JSON).</summary>
public sealed record Order(string Id, string Customer, DateTimeOffset PlacedAt, List<OrderLine> Lines, Dictionary<string, string> Tags);

/// <summary>One line of an <see cref="Order"/>.</summary>
public sealed record OrderLine(string Sku, int Quantity, decimal Price);

/// <summary>The order job's arguments as one object, for System.Text.Json.</summary>
public sealed record OrderArgs(Order Order);

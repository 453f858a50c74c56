using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;

namespace TaskQueue.MicroBenchmarks;

/// <summary>
/// Job arguments to UTF-8 JSON and back: the generated serializer (what the proxies and the dispatch table use)
/// vs System.Text.Json with reflection and with its source generator, on the same values.
/// </summary>
[MemoryDiagnoser]
public class SerializerBenchmarks
{
    private static readonly JsonSerializerOptions s_reflection = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private readonly EmailArgs _email = new("someone@example.com", "Your order has shipped");
    private OrderArgs _order = null!;
    private byte[] _emailJson = null!;
    private byte[] _orderJson = null!;

    [GlobalSetup]
    public void Setup()
    {
        var lines = Enumerable.Range(1, 12).Select(i => new OrderLine("SKU-" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), i, 9.99m + i)).ToList();
        var tags = new Dictionary<string, string> { ["channel"] = "web", ["campaign"] = "spring-sale-2026", ["region"] = "eu-west" };
        _order = new OrderArgs(new Order("ord-8f2b6a1c", "customer-000123@example.com", new DateTimeOffset(2026, 11, 23, 1, 2, 3, TimeSpan.Zero), lines, tags));
        _emailJson = Jobs.SendEmail.Serialize(_email.To, _email.Subject);
        _orderJson = Jobs.PlaceOrder.Serialize(_order.Order);
        if (_orderJson.Length is < 700 or > 1400)
        {
            throw new InvalidOperationException($"The 1 KB payload is {_orderJson.Length} bytes.");
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("small")]
    public byte[] Small_Generated_Serialize() => Jobs.SendEmail.Serialize(_email.To, _email.Subject);

    [Benchmark, BenchmarkCategory("small")]
    public byte[] Small_StjReflection_Serialize() => JsonSerializer.SerializeToUtf8Bytes(_email, s_reflection);

    [Benchmark, BenchmarkCategory("small")]
    public byte[] Small_StjSourceGen_Serialize() => JsonSerializer.SerializeToUtf8Bytes(_email, MicroJsonContext.Default.EmailArgs);

    [Benchmark, BenchmarkCategory("small")]
    public string Small_Generated_Deserialize()
    {
        Jobs.SendEmail.Deserialize(_emailJson, out var to, out _);
        return to;
    }

    [Benchmark, BenchmarkCategory("small")]
    public EmailArgs? Small_StjReflection_Deserialize() => JsonSerializer.Deserialize<EmailArgs>(_emailJson, s_reflection);

    [Benchmark, BenchmarkCategory("small")]
    public EmailArgs? Small_StjSourceGen_Deserialize() => JsonSerializer.Deserialize(_emailJson, MicroJsonContext.Default.EmailArgs);

    [Benchmark, BenchmarkCategory("1KB")]
    public byte[] Order1KB_Generated_Serialize() => Jobs.PlaceOrder.Serialize(_order.Order);

    [Benchmark, BenchmarkCategory("1KB")]
    public byte[] Order1KB_StjReflection_Serialize() => JsonSerializer.SerializeToUtf8Bytes(_order, s_reflection);

    [Benchmark, BenchmarkCategory("1KB")]
    public byte[] Order1KB_StjSourceGen_Serialize() => JsonSerializer.SerializeToUtf8Bytes(_order, MicroJsonContext.Default.OrderArgs);

    [Benchmark, BenchmarkCategory("1KB")]
    public Order Order1KB_Generated_Deserialize()
    {
        Jobs.PlaceOrder.Deserialize(_orderJson, out var order);
        return order;
    }

    [Benchmark, BenchmarkCategory("1KB")]
    public OrderArgs? Order1KB_StjReflection_Deserialize() => JsonSerializer.Deserialize<OrderArgs>(_orderJson, s_reflection);

    [Benchmark, BenchmarkCategory("1KB")]
    public OrderArgs? Order1KB_StjSourceGen_Deserialize() => JsonSerializer.Deserialize(_orderJson, MicroJsonContext.Default.OrderArgs);
}

/// <summary>System.Text.Json's source-generated metadata for the same argument objects.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EmailArgs))]
[JsonSerializable(typeof(OrderArgs))]
internal sealed partial class MicroJsonContext : JsonSerializerContext;

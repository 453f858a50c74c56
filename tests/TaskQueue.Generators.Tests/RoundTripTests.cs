using System.Text;
using TaskQueue.Generators.Tests.Infrastructure;

namespace TaskQueue.Generators.Tests;

public sealed class RoundTripTests
{
    private const int ValuesPerType = 150;

    public static TheoryData<string> Types => new(Programs.RoundTripTypes.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Every_supported_type_round_trips_through_the_generated_serializer_and_registry(string name)
    {
        var app = CompiledPrograms.RoundTrips;
        var proxy = app.Proxy("RoundTrips", "RoundTrip" + name);
        var deserialize = proxy.GetMethod("Deserialize")!;
        var type = deserialize.GetParameters()[1].ParameterType.GetElementType()!;
        var calls = (List<object?>)app.Type("RoundTrips.Recorder").GetField("Calls")!.GetValue(null)!;
        var random = new Random(20240601 + name.Length * 7919 + name[0]);

        for (var i = 0; i < ValuesPerType; i++)
        {
            var value = RoundTripValues.Create(type, random, depth: 0, index: i);
            var payload = GeneratedAssembly.Serialize(proxy, value);
            var context = $"{name} #{i}, payload {Encoding.UTF8.GetString(payload)}";

            var back = GeneratedAssembly.Deserialize(proxy, payload, 1)[0];
            RoundTripValues.AssertDeepEqual(value, back, context);

            if (i % 10 == 0)
            {
                await app.Registry.InvokeAsync("RoundTrip" + name, payload, GeneratedAssembly.Context("RoundTrip" + name));
                object?[] seen;
                lock (calls)
                {
                    seen = (object?[])calls.Last(c => c is object?[] { Length: 1 } v && (ReferenceEquals(v[0], null) || v[0]!.GetType() is var t && (type.IsAssignableFrom(t) || Nullable.GetUnderlyingType(type) == t)))!;
                }

                RoundTripValues.AssertDeepEqual(value, seen[0], context + " (handler)");
            }
        }
    }

    [Fact]
    public void Doubles_that_are_not_finite_are_written_as_named_literals()
    {
        var proxy = CompiledPrograms.RoundTrips.Proxy("RoundTrips", "RoundTripDouble");

        Assert.Equal("{\"value\":\"NaN\"}", Encoding.UTF8.GetString(GeneratedAssembly.Serialize(proxy, double.NaN)));
        Assert.Equal("{\"value\":\"-Infinity\"}", Encoding.UTF8.GetString(GeneratedAssembly.Serialize(proxy, double.NegativeInfinity)));
    }

    [Fact]
    public void Records_are_written_with_camel_case_names_and_enums_as_names()
    {
        var app = CompiledPrograms.RoundTrips;
        var line = Activator.CreateInstance(app.Type("Shop.Line"), "SKU-1", 2, 9.5m, 0)!;

        var json = Encoding.UTF8.GetString(GeneratedAssembly.Serialize(app.Proxy("RoundTrips", "RoundTripLine"), line));
        var status = Encoding.UTF8.GetString(GeneratedAssembly.Serialize(app.Proxy("RoundTrips", "RoundTripEnum"), Enum.ToObject(app.Type("Shop.Status"), 5)));

        Assert.Equal("{\"value\":{\"sku\":\"SKU-1\",\"quantity\":2,\"price\":9.5,\"discount\":0}}", json);
        Assert.Equal("{\"value\":\"Shipped\"}", status);
    }

    [Fact]
    public void Missing_record_constructor_parameter_with_a_default_takes_it()
    {
        var app = CompiledPrograms.RoundTrips;
        var back = GeneratedAssembly.Deserialize(app.Proxy("RoundTrips", "RoundTripLine"), Encoding.UTF8.GetBytes("{\"value\":{\"sku\":\"a\",\"quantity\":1,\"price\":2}}"), 1)[0]!;

        Assert.Equal(0, back.GetType().GetProperty("Discount")!.GetValue(back));
    }

    [Theory]
    [InlineData("RoundTripString")]
    [InlineData("RoundTripChar")]
    public void Unpaired_surrogates_are_refused_at_enqueue_instead_of_silently_replaced(string job)
    {
        // Built here, not in InlineData: xunit's data serialization would already replace the lone surrogate.
        object value = job == "RoundTripChar" ? '\uDC00' : "a" + (char)0xD800 + "b";
        var proxy = CompiledPrograms.RoundTrips.Proxy("RoundTrips", job);

        var ex = Assert.Throws<JobPayloadException>(() => GeneratedAssembly.Serialize(proxy, value));

        Assert.Equal(job, ex.JobName);
        Assert.Equal("value", ex.Parameter);
        Assert.Contains("surrogate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_settable_property_keeps_its_initial_value()
    {
        var app = CompiledPrograms.RoundTrips;
        var back = GeneratedAssembly.Deserialize(app.Proxy("RoundTrips", "RoundTripCustomer"), Encoding.UTF8.GetBytes("{\"value\":{\"age\":3}}"), 1)[0]!;

        Assert.Equal("", back.GetType().GetProperty("Name")!.GetValue(back));
        Assert.Equal(3, back.GetType().GetProperty("Age")!.GetValue(back));
    }
}

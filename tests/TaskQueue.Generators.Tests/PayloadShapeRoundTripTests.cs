using System.Text;
using TaskQueue.Generators.Tests.Infrastructure;
using TaskQueue.Tests.Shared;

namespace TaskQueue.Generators.Tests;

/// <summary>
/// Property-based: for every shape in the shared table the generator emits a job exactly when the table says the
/// analyzers accept it, and every accepted shape round-trips random values with all their state (private setters,
/// backing fields, base-class members), not just what public setters reach.
/// </summary>
public sealed class PayloadShapeRoundTripTests
{
    private const int ValuesPerShape = 200;

    public static TheoryData<string> Shapes => new(PayloadShapes.Table.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Every_accepted_payload_shape_round_trips_all_its_state(string name)
    {
        var row = PayloadShapes.Table.Single(s => s.Name == name);
        var app = CompiledPrograms.Shapes;
        var proxy = app.Assembly.GetType("ShapeJobs.Jobs+Shape" + name, throwOnError: false);
        Assert.True(row.Accepted == proxy is not null, $"{name}: the table says accepted={row.Accepted}, the generator {(proxy is null ? "skipped" : "emitted")} it");
        if (proxy is null)
        {
            return;
        }

        var type = proxy.GetMethod("Deserialize")!.GetParameters()[1].ParameterType.GetElementType()!;
        var calls = (List<object?>)app.Type("ShapeJobs.Recorder").GetField("Calls")!.GetValue(null)!;
        var random = new Random(1234567 + name.Length * 7919 + name[0]);
        for (var i = 0; i < ValuesPerShape; i++)
        {
            var value = RoundTripValues.Create(type, random, depth: 0, index: i);
            var payload = GeneratedAssembly.Serialize(proxy, value);
            var context = $"{name} #{i}, payload {Encoding.UTF8.GetString(payload)}";

            RoundTripValues.AssertDeepEqual(value, GeneratedAssembly.Deserialize(proxy, payload, 1)[0], context);

            if (i % 20 == 0)
            {
                await app.Registry.InvokeAsync("Shape" + name, payload, GeneratedAssembly.Context("Shape" + name));
                object? seen;
                lock (calls)
                {
                    seen = ((object?[])calls[^1]!)[0];
                }

                RoundTripValues.AssertDeepEqual(value, seen, context + " (handler)");
            }
        }
    }

    [Fact]
    public void The_shape_table_holds_accepted_and_rejected_shapes()
    {
        Assert.True(PayloadShapes.Table.Count(s => s.Accepted) >= 15);
        Assert.True(PayloadShapes.Table.Count(s => !s.Accepted) >= 3);
    }
}

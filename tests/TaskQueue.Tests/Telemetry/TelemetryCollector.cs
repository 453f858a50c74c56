using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using TaskQueue.Telemetry;

namespace TaskQueue.Tests.Telemetry;

/// <summary>Records every TaskQueue span and measurement (and the test's own spans) while it lives.</summary>
internal sealed class TelemetryCollector : IDisposable
{
    /// <summary>The source a test handler's own spans come from.</summary>
    public static readonly ActivitySource HandlerSource = new("TaskQueue.Tests.Handler");

    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public TelemetryCollector()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name is TaskQueueTelemetry.SourceName || source == HandlerSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_activities);

        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TaskQueueTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue(new(instrument.Name, instrument.Unit, value, tags.ToArray())));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue(new(instrument.Name, instrument.Unit, value, tags.ToArray())));
        _meters.Start();
    }

    public IReadOnlyList<Activity> Spans => [.. _stopped];

    /// <summary>Stopped TaskQueue spans of <paramref name="jobName"/>, in the order they stopped.</summary>
    public IReadOnlyList<Activity> SpansOf(string jobName)
        => [.. _stopped.Where(a => a.Source.Name == TaskQueueTelemetry.SourceName && Equals(a.GetTagItem("taskqueue.job.name"), jobName))];

    /// <summary>Measurements of <paramref name="instrument"/> tagged with <paramref name="jobName"/>.</summary>
    public IReadOnlyList<Measurement> MeasurementsOf(string instrument, string jobName)
        => [.. _measurements.Where(m => m.Instrument == instrument && Equals(m.Tag("taskqueue.job.name"), jobName))];

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    public sealed record Measurement(string Instrument, string? Unit, double Value, KeyValuePair<string, object?>[] Tags)
    {
        public object? Tag(string key) => Tags.FirstOrDefault(t => t.Key == key).Value;
    }
}

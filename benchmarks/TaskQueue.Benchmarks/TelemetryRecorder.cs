using System.Diagnostics;
using System.Diagnostics.Metrics;
using TaskQueue.Telemetry;

namespace TaskQueue.Benchmarks;

/// <summary>
/// <c>--telemetry</c>: listens to every TaskQueue span (all data, recorded) and instrument as an exporter would, reading
/// each span's tags and each measurement, so a run measures the cost of being observed.
/// </summary>
internal sealed class TelemetryRecorder : IDisposable
{
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();
    private long _spans;
    private long _tags;
    private long _measurements;

    public TelemetryRecorder()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TaskQueueTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TaskQueueTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((_, _, tags, _) => OnMeasurement(tags));
        _meters.SetMeasurementEventCallback<double>((_, _, tags, _) => OnMeasurement(tags));
        _meters.Start();
    }

    public string Describe() => $"telemetry: {Interlocked.Read(ref _spans):N0} spans ({Interlocked.Read(ref _tags):N0} tags), {Interlocked.Read(ref _measurements):N0} measurements";

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    private void OnStopped(Activity activity)
    {
        var tags = 0;
        foreach (var _ in activity.TagObjects)
        {
            tags++;
        }

        Interlocked.Increment(ref _spans);
        Interlocked.Add(ref _tags, tags);
    }

    private void OnMeasurement(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        Interlocked.Increment(ref _measurements);
        Interlocked.Add(ref _tags, tags.Length);
    }
}

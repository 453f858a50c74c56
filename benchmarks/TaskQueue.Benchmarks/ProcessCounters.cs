using System.Diagnostics;
using System.Globalization;

namespace TaskQueue.Benchmarks;

/// <summary>This process's managed allocations, CPU time and peak RSS (Linux VmHWM, reset per run).</summary>
internal readonly record struct ProcessCounters(long AllocatedBytes, TimeSpan Cpu)
{
    public static ProcessCounters Read()
    {
        using var self = Process.GetCurrentProcess();
        return new ProcessCounters(GC.GetTotalAllocatedBytes(precise: true), self.TotalProcessorTime);
    }

    /// <summary>Resets the kernel's peak-RSS mark so the next <see cref="PeakRssBytes"/> covers one run only.</summary>
    public static void ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
            // Not Linux or not allowed: the peak then covers the whole process.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static long PeakRssBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Thoras.Cli.Serve;

/// <summary>
/// One log line per interval (real time) with the process's resident set beside the GC's own view of the managed
/// heap: what tells a leak (the heap after a full collection grows) from GC slack (the heap stays, only committed
/// memory or native memory grows). <c>thoras serve --memory-log SECONDS</c> turns it on; the soak reads it.
/// </summary>
public static class MemoryReport
{
    /// <summary>The line's fields, tab-separated after the <c>memory</c> marker, in this order.</summary>
    public const string Fields = "rss_kb\theap_kb\tcommitted_kb\tfragmented_kb\tgen2_kb\tloh_kb\tgen2_collections\tgc";

    /// <summary>The fields of one line, now.</summary>
    public static string Sample()
    {
        using var process = Process.GetCurrentProcess();
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        var generations = info.GenerationInfo;
        static long Kb(long bytes) => bytes / 1024;
        return string.Join('\t',
            Kb(process.WorkingSet64).ToString(CultureInfo.InvariantCulture),
            Kb(info.HeapSizeBytes).ToString(CultureInfo.InvariantCulture),
            Kb(info.TotalCommittedBytes).ToString(CultureInfo.InvariantCulture),
            Kb(info.FragmentedBytes).ToString(CultureInfo.InvariantCulture),
            Kb(generations.Length > 2 ? generations[2].SizeAfterBytes : 0).ToString(CultureInfo.InvariantCulture),
            Kb(generations.Length > 3 ? generations[3].SizeAfterBytes : 0).ToString(CultureInfo.InvariantCulture),
            GC.CollectionCount(2).ToString(CultureInfo.InvariantCulture),
            Mode());
    }

    /// <summary>Which collector runs: <c>server</c> or <c>workstation</c>, <c>+concurrent</c>, <c>+conserve</c>.</summary>
    public static string Mode()
    {
        // The collector's effective settings (runtimeconfig, environment), as it reports them.
        var settings = GC.GetConfigurationVariables();
        var mode = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation";
        if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.Interactive)
            mode += "+concurrent";
        if (settings.TryGetValue("GCConserveMem", out var conserve) && Convert.ToInt64(conserve, CultureInfo.InvariantCulture) > 0)
            mode += "+conserve" + Convert.ToString(conserve, CultureInfo.InvariantCulture);
        return mode;
    }

    /// <summary>Logs a sample every <paramref name="interval"/> until cancelled.</summary>
    public static async Task RunAsync(ILogger log, TimeSpan interval, CancellationToken cancellationToken)
    {
        log.LogInformation("memory collector {Mode}: {Settings}", Mode(),
            string.Join(", ", GC.GetConfigurationVariables().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        log.LogInformation("memory\t{Fields}", Fields);
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                log.LogInformation("memory\t{Sample}", Sample());
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}

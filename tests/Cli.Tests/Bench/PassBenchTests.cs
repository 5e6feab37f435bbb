using System.Text.Json;
using Thoras.Cli.Bench;
using Xunit;

namespace Thoras.Cli.Tests.Bench;

/// <summary>A small real run: Azurite, the sandbox over HTTP, trained models, the queue workers, measured ticks.</summary>
public sealed class PassBenchTests
{
    [Fact]
    public async Task MeasureAsync_SmallFleetTwoWorkers_FirstTickPublishesAndAppliesEveryTargetThroughTheQueues()
    {
        var options = PassBenchOptions.Parse(["--targets", "5", "--days", "1", "--namespaces", "2", "--workers", "2", "--qps", "200", "--burst", "20"]);

        var report = await PassBenchCommand.MeasureAsync(options, TextWriter.Null, CancellationToken.None);

        var tick = Assert.Single(report.Ticks);
        Assert.Equal((5, 1, 2, 2), (report.Fleet.Targets, report.Fleet.Horizontal, report.Fleet.Namespaces, report.Workers));
        Assert.Equal(new BudgetFigures(200, 20), report.KubernetesBudget);
        Assert.Equal((5, 5, 0, 2), (tick.Published, tick.Applied, tick.Poison, tick.Batches));
        Assert.Equal(5, tick.ApplyOutcomes.Values.Sum());
        // Each state is loaded, its model read from its blob (this instance held none yet). None is saved: the setup
        // forecast the last block already, so this forecast leaves every state as it was loaded, and none was retrained.
        Assert.Equal(new ModelFigures(9, 0, 9, 0), tick.Models);
        Assert.InRange(tick.IoSeconds, 0.001, tick.PassSeconds);
        Assert.Equal(tick.ForecastSeconds + tick.ApplySeconds, tick.PassSeconds, 3);
        Assert.InRange(tick.KubernetesRequestsPerSecond.Max, 1, 200 + 20);
        Assert.True(tick.CallsPerTarget.Kubernetes > 0 && tick.CallsPerTarget.Storage > 0 && tick.StorageTransactionsPerTarget > tick.CallsPerTarget.Storage);
        Assert.Contains(tick.Calls, c => c.Kind == "k8s PATCH pods/resize" && c.Count == 8);
        Assert.Contains(tick.Calls, c => c.Kind == "table GET Usage" && c.Count == 5);
        Assert.True(report.Memory.AllocatedBytes > 0 && report.Memory.PeakWorkingSetBytes > 0 && report.Memory.PeakManagedBytes > 0);
        Assert.Equal((9 * 288L, 9, 9), (report.Setup.BlocksWritten, report.Setup.ModelsTrained, report.Setup.ModelsSaved));
    }

    [Fact]
    public async Task MeasureAsync_TwoTicksOneModelTrainedPerKindFirstBudgetRaised_SecondTickForecastsCopiesAtTheSteadyBudget()
    {
        var options = PassBenchOptions.Parse(["--targets", "3", "--days", "1", "--namespaces", "1", "--horizontal-share", "0", "--ticks", "2", "--train", "1", "--first-qps", "400"]);

        var report = await PassBenchCommand.MeasureAsync(options, TextWriter.Null, CancellationToken.None);

        Assert.Equal((2, 6), (report.Setup.ModelsTrained, report.Setup.ModelsSaved));
        Assert.Equal(2, report.Ticks.Count);
        Assert.Equal((3, 3), (report.Ticks[0].Published, report.Ticks[0].Applied));
        // Every model is loaded; a state is saved again only when this forecast changed it. The 4 copies are forecast
        // over their own targets' usage, so theirs change; the trained target's own state may come back unchanged
        // (the setup already forecast its last block), and is then not written again.
        Assert.Equal(6, report.Ticks[0].Models.Loaded);
        Assert.InRange(report.Ticks[0].Models.Saved, 4, 6);
        // Each model is read from its blob in the first tick (this instance held none yet), none written (none was
        // retrained); in the second every model is already in memory.
        Assert.Equal((6, 0), (report.Ticks[0].Models.BlobReads, report.Ticks[0].Models.BlobWrites));
        Assert.Equal((6, 0, 0), (report.Ticks[1].Models.Loaded, report.Ticks[1].Models.BlobReads, report.Ticks[1].Models.BlobWrites));
        // A target's two states are read in one query of its partition: 3 reads for 6 states.
        Assert.Contains(report.Ticks[1].Calls, c => c.Kind == "table GET Models" && c.Count == 3);
        Assert.Equal(3, report.Ticks[1].ForecastOutcomes.Values.Sum());
        Assert.Equal(0, report.Ticks[1].ForecastOutcomes["NotDue"]);
        Assert.Equal(0, report.Ticks[1].Poison);
        Assert.Equal((400.0, 50.0), (report.Ticks[0].KubernetesBudget.Qps, report.Ticks[1].KubernetesBudget.Qps));
        Assert.InRange(report.Ticks[1].KubernetesRequestsPerSecond.Max, 1, 50 + 100);
    }

    [Fact]
    public async Task RunAsync_JsonFormat_ReportOnStdoutProgressOnStderr()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await PassBenchCommand.RunAsync(["--targets", "1", "--days", "1", "--format", "json"], stdout, stderr, CancellationToken.None);

        using var json = JsonDocument.Parse(stdout.ToString());
        var tick = json.RootElement.GetProperty("ticks")[0];
        Assert.Equal(0, code);
        Assert.Equal(1, json.RootElement.GetProperty("workers").GetInt32());
        Assert.Equal(50, json.RootElement.GetProperty("kubernetesBudget").GetProperty("qps").GetDouble());
        Assert.Equal(100, json.RootElement.GetProperty("kubernetesBudget").GetProperty("burst").GetInt32());
        Assert.True(tick.GetProperty("passSeconds").GetDouble() > 0);
        Assert.True(tick.GetProperty("kubernetesRequestsPerSecond").GetProperty("max").GetInt32() > 0);
        Assert.True(tick.GetProperty("storageTransactionsPerTarget").GetDouble() > 0);
        Assert.True(tick.GetProperty("callsPerTarget").GetProperty("kubernetes").GetDouble() > 0);
        Assert.True(tick.GetProperty("callsPerTarget").GetProperty("storage").GetDouble() > 0);
        Assert.Equal(1, tick.GetProperty("published").GetInt32());
        Assert.Equal(1, tick.GetProperty("applied").GetInt32());
        Assert.Equal(0, tick.GetProperty("poison").GetInt32());
        Assert.Contains("measuring tick 1 of 1", stderr.ToString(), StringComparison.Ordinal);
    }
}

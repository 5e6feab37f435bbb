using System.Text.Json;
using Thoras.Cli.Bench;
using Thoras.Domain.Recommendation;
using Xunit;

namespace Thoras.Cli.Tests.Bench;

/// <summary>A small real run: Azurite, the sandbox over HTTP, trained models, one measured pass.</summary>
public sealed class PassBenchTests
{
    [Fact]
    public async Task MeasureAsync_SmallFleet_CoherentReport()
    {
        var options = PassBenchOptions.Parse(["--targets", "5", "--days", "1", "--namespaces", "2"]);

        var report = await PassBenchCommand.MeasureAsync(options, TextWriter.Null, CancellationToken.None);

        Assert.Equal((5, 1, 2), (report.Fleet.Targets, report.Fleet.Horizontal, report.Fleet.Namespaces));
        Assert.Equal(5, report.ForecastOutcomes["Published"]);
        Assert.Equal((9, 9, 0), (report.Series.Forecast, report.Series.LoadedModel, report.Series.Retrained));
        Assert.Equal(5, report.ApplyOutcomes.Values.Sum());
        Assert.Equal(5, report.ApplyOutcomes["Applied"]);
        Assert.Empty(report.Failures);
        Assert.InRange(report.IoSeconds, 0.001, report.PassSeconds);
        Assert.InRange(report.ForecastIoSeconds, 0.001, report.ForecastSeconds);
        Assert.InRange(report.ApplyIoSeconds, 0.001, report.ApplySeconds);
        Assert.Equal(report.ForecastSeconds + report.ApplySeconds, report.PassSeconds, 3);
        Assert.True(report.Ratio >= 1, $"ratio {report.Ratio}");
        Assert.Contains(report.Calls, c => c.Kind == "k8s PATCH pods/resize" && c.Count == 8);
        Assert.Contains(report.Calls, c => c.Kind == "table GET Usage" && c.Count == 5);
        Assert.Contains(report.Calls, c => c.Kind == "blob GET models" && c.Count == 9);
        Assert.True(report.Memory.AllocatedBytes > 0 && report.Memory.PeakWorkingSetBytes > 0 && report.Memory.PeakManagedBytes > 0);
        Assert.Equal((9 * 288L, 9), (report.Setup.BlocksWritten, report.Setup.ModelsSaved));
    }

    [Fact]
    public async Task RunAsync_JsonFormat_ReportOnStdoutProgressOnStderr()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await PassBenchCommand.RunAsync(["--targets", "1", "--days", "1", "--format", "json"], stdout, stderr, CancellationToken.None);

        using var json = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(0, code);
        Assert.True(json.RootElement.GetProperty("passSeconds").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("callCount").GetInt32() > 0);
        Assert.True(json.RootElement.GetProperty("ratio").GetDouble() >= 1);
        var perTarget = json.RootElement.GetProperty("callsPerTarget");
        Assert.Equal(json.RootElement.GetProperty("callCount").GetInt32(), perTarget.GetProperty("kubernetes").GetDouble() + perTarget.GetProperty("storage").GetDouble());
        Assert.Contains("measuring one forecast + apply pass", stderr.ToString(), StringComparison.Ordinal);
    }
}

using Thoras.Domain.Targets;
using Thoras.Domain.Telemetry;
using Thoras.Domain.Tests.Targets;
using Thoras.TestSupport.Telemetry;
using Xunit;

namespace Thoras.Domain.Tests.Telemetry;

/// <summary>
/// The gauges as an exporter reads them, through a <see cref="MetricReader"/> on the app's meter. The gauges are
/// process-wide, and other tests (the gate, the collect stage) set them too, so these run alone.
/// </summary>
[Collection(ProcessWideMetrics.Name)]
public sealed class ThorasMetricsTests
{
    private static AIScaleTarget Target(string name, TargetSpec spec) =>
        new(new TargetMetadata { Namespace = "metrics-test", Name = name, Uid = "uid-" + name }, spec, new TargetStatus());

    [Fact]
    public void ReportTargets_OneOfEachMode_CountsEveryDirectionAndModeWithZeros()
    {
        ThorasMetrics.ReportTargets([
            Target("web", ASpec.Both(TargetMode.Autonomous, TargetMode.Recommendation)),
            Target("api", ASpec.VerticalDeployment(TargetMode.Autonomous)),
        ]);

        var seen = MetricReader.Gauge("thoras_scale_targets");

        Assert.Equal(2, seen["direction=vertical,mode=autonomous"]);
        Assert.Equal(1, seen["direction=horizontal,mode=recommendation"]);
        Assert.Equal(0, seen["direction=horizontal,mode=observation"]);
        Assert.Equal(6, seen.Count);
    }

    [Fact]
    public void ReportPause_HolderReleased_IsNoLongerReported()
    {
        ThorasMetrics.ReportPause(paused: true, ["manual", "window:nightly"]);

        ThorasMetrics.ReportPause(paused: true, ["window:nightly"]);

        Assert.Equal(["holder=window:nightly"], MetricReader.Gauge("thoras_pause_holders").Keys);
        Assert.Equal(1, MetricReader.Gauge("thoras_scaling_paused")[string.Empty]);
    }
}

/// <summary>Tests that read the process-wide gauges: run apart from every other test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetrics
{
    public const string Name = "process-wide metrics";
}

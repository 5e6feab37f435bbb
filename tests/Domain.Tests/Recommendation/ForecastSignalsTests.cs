using Moq;
using Thoras.Domain.Events;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Thoras.Domain.Tests.Telemetry;
using Thoras.TestSupport.Builders;
using Thoras.TestSupport.Telemetry;
using Xunit;

namespace Thoras.Domain.Tests.Recommendation;

/// <summary>The forecast stage's events and metrics, from pass results and stored usage; the coverage gauge is process-wide.</summary>
[Collection(ProcessWideMetrics.Name)]
public sealed class ForecastSignalsTests
{
    private static readonly DateTimeOffset Start = TargetBuilder.Now;
    private static readonly TimeSpan Block = TimeSpan.FromMinutes(5);

    private static Dictionary<string, double> Coverage() => MetricReader.Gauge("thoras_calibration_coverage");

    private static Dictionary<string, IReadOnlyList<UsageBlock>> Cpu(params double[] peaks) => new(StringComparer.Ordinal)
    {
        [UsageSeries.Container("app", UsageSeries.Cpu)] = [.. peaks.Select((p, i) => new UsageBlock(Start + (i * Block), p, p / 2, 5))],
    };

    [Fact]
    public void Score_TwoOfThreeBlocksWithinTheSuggestion_ReportsTwoThirds()
    {
        var target = TargetBuilder.Target("web", "coverage-test").Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "400m", start: Start).Build();

        new ForecastSignals(null).Score(target, target.Status.LatestSuggestion, Cpu(0.3, 0.5, 0.35), Block, Start + (3 * Block), ForecastOptions.DefaultSuggestionRefresh);

        Assert.Equal(2.0 / 3, Coverage()["namespace=coverage-test,target=web,series=container:app:cpu"], 6);
    }

    [Fact]
    public void Score_SameBlocksAgain_ScoresEachBlockOnce()
    {
        var target = TargetBuilder.Target("web", "coverage-once").Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "400m", start: Start).Build();
        var signals = new ForecastSignals(null);
        signals.Score(target, target.Status.LatestSuggestion, Cpu(0.5), Block, Start + Block, ForecastOptions.DefaultSuggestionRefresh);

        signals.Score(target, target.Status.LatestSuggestion, Cpu(0.5, 0.3, 0.3), Block, Start + (3 * Block), ForecastOptions.DefaultSuggestionRefresh);

        Assert.Equal(2.0 / 3, Coverage()["namespace=coverage-once,target=web,series=container:app:cpu"], 6);
    }

    [Theory]
    [InlineData("coverage-held", 60, 0.5)]      // held: 6 blocks past the 15-minute end still scored, 3 of them above 400m
    [InlineData("coverage-unheld", 0, 2.0 / 3)] // no hold allowance: only the 3 blocks before its end, one above
    public void Score_HeldSuggestionPastItsEnd_ScoredUntilEndPlusTheRefresh(string ns, int refreshMinutes, double expected)
    {
        // A held suggestion stays in force until it is replaced; its end is refreshed at least every refresh interval.
        var target = TargetBuilder.Target("web", ns).Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "400m", start: Start).Build();

        new ForecastSignals(null).Score(target, target.Status.LatestSuggestion, Cpu(0.3, 0.5, 0.35, 0.5, 0.2, 0.5), Block, Start + (6 * Block), TimeSpan.FromMinutes(refreshMinutes));

        Assert.Equal(expected, Coverage()[$"namespace={ns},target=web,series=container:app:cpu"], 6);
    }

    [Fact]
    public async Task RecordAsync_InvalidSpecReported_RecordsOneInvalidSpecWarning()
    {
        var recorder = new Mock<IEventRecorder>();
        var key = new TargetKey("shop", "web");
        var report = new ReportCondition(key, "uid-web", StatusUpdate.Setting(), "invalid spec: spec.vertical.mode is required");
        var invalid = new ForecastedTarget(key, ForecastOutcome.Invalid, "invalid spec: spec.vertical.mode is required", [], null)
        {
            Items = [new ForecastItemOutcome(report, Done: true)],
        };

        await new ForecastSignals(recorder.Object).RecordAsync([invalid], CancellationToken.None);

        recorder.Verify(r => r.RecordAsync(
            It.Is<TargetEvent>(e => e.Reason == EventReasons.InvalidSpec && e.Warning && e.TargetUid == "uid-web" && e.Note.Contains("spec.vertical.mode is required")),
            It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RecordAsync_InvalidSpecAlreadyReported_RecordsNothing()
    {
        var recorder = new Mock<IEventRecorder>();
        var invalid = new ForecastedTarget(new TargetKey("shop", "web"), ForecastOutcome.Invalid, "invalid spec: spec.vertical.mode is required", [], null);

        await new ForecastSignals(recorder.Object).RecordAsync([invalid], CancellationToken.None);

        recorder.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task RecordAsync_PublishedWhilePaused_CountsOneHeldBackAsPaused()
    {
        var key = new TargetKey("held-back-test", "web");
        var eligibility = new Eligibility(Ineligibility.Paused, "paused by manual (alice)", ScalingDirection.Vertical);
        var publish = new PublishSuggestion(key, "uid-web", StatusUpdate.Setting(), false, eligibility.Reason) { Eligibility = eligibility };
        var published = new ForecastedTarget(key, ForecastOutcome.Published, eligibility.Reason, [], null) { Items = [new ForecastItemOutcome(publish, Done: true)] };
        using var metrics = new MetricReader("thoras_suggestions_held_back_total");

        await new ForecastSignals(null).RecordAsync([published], CancellationToken.None);

        Assert.Equal([(1.0, "namespace=held-back-test,target=web,direction=vertical,reason=paused")], metrics.Of("thoras_suggestions_held_back_total", "namespace=held-back-test,"));
    }

    [Theory]
    [InlineData(Ineligibility.NotAutonomous, "not_autonomous")]
    [InlineData(Ineligibility.NotEnoughData, "not_enough_data")]
    [InlineData(Ineligibility.Paused, "paused")]
    [InlineData(Ineligibility.NoSingleHpa, "no_single_hpa")]
    public void HeldBackReason_Refusal_IsItsSnakeCaseLabel(Ineligibility refusal, string label)
    {
        Assert.Equal(label, ForecastSignals.HeldBackReason(refusal));
    }
}

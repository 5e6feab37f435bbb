using Microsoft.Extensions.Time.Testing;
using Thoras.Domain.Stages;
using Thoras.TestSupport.Telemetry;
using Xunit;

namespace Thoras.Domain.Tests.Stages;

/// <summary>The timing of a stage's named steps.</summary>
public sealed class StageStepsTests
{
    [Fact]
    public async Task RunAsync_StepRunsTwice_CountedTwiceWithTotalAndLongest()
    {
        var time = new FakeTimeProvider();
        var steps = new StageSteps("apply", time);

        await steps.RunAsync(StageSteps.Load, () =>
        {
            time.Advance(TimeSpan.FromMilliseconds(30));
            return Task.FromResult(1);
        });
        steps.Run(StageSteps.Plan, () => 0);
        await steps.RunAsync(StageSteps.Load, () =>
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            return Task.CompletedTask;
        });

        Assert.Equal(
            [new StepTiming("load", 2, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(30)), new StepTiming("plan", 1, TimeSpan.Zero, TimeSpan.Zero)],
            steps.Timings);
    }

    [Fact]
    public void Describe_Timings_OneLineForALog()
    {
        var line = StepTiming.Describe([new("load", 1, TimeSpan.FromMilliseconds(120), TimeSpan.FromMilliseconds(120)), new("act", 3, TimeSpan.FromMilliseconds(90), TimeSpan.FromMilliseconds(50))]);

        Assert.Equal("load 120 ms, act 3x 90 ms (max 50 ms)", line);
    }

    [Fact]
    public async Task RunAsync_StepThrows_RecordsItsDurationAsAFailureOfThatStageAndStep()
    {
        var steps = new StageSteps("steps-metrics", new FakeTimeProvider());
        using var metrics = new MetricReader("thoras_step_duration_seconds");

        steps.Run(StageSteps.Plan, () => 0);
        await Assert.ThrowsAsync<InvalidOperationException>(() => steps.RunAsync(StageSteps.Act, () => Task.FromException(new InvalidOperationException("no"))));

        Assert.Equal(
            ["stage=steps-metrics,step=plan,outcome=success", "stage=steps-metrics,step=act,outcome=failure"],
            metrics.Of("thoras_step_duration_seconds", "stage=steps-metrics,").Select(m => m.Labels));
        Assert.All(metrics.Of("thoras_step_duration_seconds", "stage=steps-metrics,"), m => Assert.True(m.Value >= 0));
    }
}

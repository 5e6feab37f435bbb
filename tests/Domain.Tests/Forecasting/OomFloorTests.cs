using Xunit;
using Thoras.Domain.Forecasting;

namespace Thoras.Domain.Tests.Forecasting;

public class OomFloorTests
{
    private static readonly DateTimeOffset Kill = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Apply_WithinWindowAfterKill_AtLeastTwentyPercentOverPeak()
    {
        var floor = new OomFloor(TimeSpan.FromMinutes(30));
        floor.RecordKill(Kill, 100);

        Assert.Equal(120, floor.Apply(90, Kill.AddMinutes(10)), 10);
    }

    [Fact]
    public void Apply_SuggestionAboveFloor_Unchanged()
    {
        var floor = new OomFloor(TimeSpan.FromMinutes(30));
        floor.RecordKill(Kill, 100);

        Assert.Equal(150, floor.Apply(150, Kill.AddMinutes(10)));
    }

    [Fact]
    public void Apply_AfterWindow_Unchanged()
    {
        var floor = new OomFloor(TimeSpan.FromMinutes(30));
        floor.RecordKill(Kill, 100);

        Assert.Equal(90, floor.Apply(90, Kill.AddMinutes(30)));
    }

    [Fact]
    public void RecordKill_SecondKillInWindow_KeepsHigherFloorAndExtends()
    {
        var floor = new OomFloor(TimeSpan.FromMinutes(30));
        floor.RecordKill(Kill, 100);
        floor.RecordKill(Kill.AddMinutes(20), 50);

        Assert.Equal(120, floor.Apply(0, Kill.AddMinutes(40)), 10);
    }
}

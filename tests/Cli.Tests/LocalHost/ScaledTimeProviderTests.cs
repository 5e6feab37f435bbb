using Microsoft.Extensions.Time.Testing;
using Thoras.Cli.Serve;
using Xunit;

namespace Thoras.Cli.Tests.LocalHost;

public sealed class ScaledTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GetUtcNow_RealSecondPasses_AdvancesByFactor()
    {
        var real = new FakeTimeProvider(Start);
        var clock = new ScaledTimeProvider(60, real);

        real.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(Start.AddMinutes(1), clock.GetUtcNow());
    }

    [Fact]
    public void CreateTimer_SimulatedMinute_FiresAfterRealSecond()
    {
        var real = new FakeTimeProvider(Start);
        var clock = new ScaledTimeProvider(60, real);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);

        real.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, fired);
        real.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, fired);
    }

    [Fact]
    public void GetElapsedTime_ScalesTimestamps()
    {
        var real = new FakeTimeProvider(Start);
        var clock = new ScaledTimeProvider(10, real);
        var before = clock.GetTimestamp();

        real.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(30), clock.GetElapsedTime(before));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void Constructor_NotPositive_Throws(double factor)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledTimeProvider(factor));
    }
}

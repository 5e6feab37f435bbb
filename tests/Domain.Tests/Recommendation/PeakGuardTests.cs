using Thoras.Domain.Recommendation;
using Xunit;

namespace Thoras.Domain.Tests.Recommendation;

public sealed class PeakGuardTests
{
    [Theory]
    [InlineData(30.0, 20.0, 0.0, 0.02, 20.0)]  // above the window's peak: capped at it
    [InlineData(10.0, 20.0, 0.0, 0.02, 10.0)]  // inside: unchanged
    [InlineData(10.0, 20.0, 15.0, 0.02, 14.25)] // below 0.95 × the last 15 minutes' peak at 2 %: floored
    [InlineData(10.0, 20.0, 15.0, 0.05, 10.0)] // no floor at 5 %
    [InlineData(10.0, 20.0, 15.0, 0.005, 14.25)] // the floor holds at safer targets too
    [InlineData(10.0, 10.0, 12.0, 0.02, 10.0)] // floor 11.4 above the cap 10: the floor is dropped
    public void Apply_Cases_CapThenFloor(double bound, double windowPeak, double latestPeak, double risk, double expected)
    {
        Assert.Equal(expected, PeakGuard.Apply(bound, windowPeak, latestPeak, risk), 9);
    }
}

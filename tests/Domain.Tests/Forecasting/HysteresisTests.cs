using Xunit;
using Thoras.Domain.Forecasting;

namespace Thoras.Domain.Tests.Forecasting;

public class HysteresisTests
{
    [Theory]
    [InlineData(null, 80.0, 0.05, 80.0)]      // nothing in force: take the new bound
    [InlineData(100.0, 100.0, 0.05, 100.0)]   // unchanged
    [InlineData(100.0, 97.0, 0.05, 100.0)]    // slightly lower, within the band: keep
    [InlineData(100.0, 95.0, 0.05, 100.0)]    // exactly at the band's edge: keep
    [InlineData(100.0, 94.0, 0.05, 94.0)]     // below the band: lower at once
    [InlineData(100.0, 100.5, 0.05, 100.5)]   // higher, however little: raise at once
    [InlineData(100.0, 150.0, 0.05, 150.0)]   // much higher: raise at once
    [InlineData(100.0, 99.0, 0.0, 99.0)]      // no band: always the new bound
    [InlineData(100.0, 70.0, 0.5, 100.0)]     // wide band keeps a much lower bound
    public void Hold_Cases_KeepsOnlyWithinBandBelow(double? previous, double next, double band, double expected)
    {
        Assert.Equal(expected, Hysteresis.Hold(previous, next, band));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Hold_BandOutOfRange_Throws(double band)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Hysteresis.Hold(100, 90, band));
    }
}

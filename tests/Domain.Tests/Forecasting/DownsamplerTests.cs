using Xunit;
using Thoras.Domain.Forecasting;

namespace Thoras.Domain.Tests.Forecasting;

public class DownsamplerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Downsample_SamplesInOneBlock_MaxAndMean()
    {
        var samples = new[] { new UsageSample(Start.AddSeconds(10), 1), new UsageSample(Start.AddMinutes(2), 5), new UsageSample(Start.AddMinutes(4), 3) };

        var blocks = Downsampler.Downsample(samples);

        Assert.Equal(new UsageBlock(Start, 5, 3, 3), Assert.Single(blocks));
    }

    [Fact]
    public void Downsample_GapBetweenBlocks_CarriedForwardWithZeroCount()
    {
        var samples = new[] { new UsageSample(Start, 2), new UsageSample(Start.AddMinutes(15), 4) };

        var blocks = Downsampler.Downsample(samples);

        Assert.Equal([2, 2, 2, 4], blocks.Select(b => b.Max));
        Assert.Equal([1, 0, 0, 1], blocks.Select(b => b.Count));
        Assert.Equal(Start.AddMinutes(10), blocks[2].Start);
    }

    [Fact]
    public void Downsample_UnorderedSamples_BlocksInTimeOrder()
    {
        var samples = new[] { new UsageSample(Start.AddMinutes(5), 7), new UsageSample(Start, 1) };

        var blocks = Downsampler.Downsample(samples);

        Assert.Equal([1, 7], blocks.Select(b => b.Max));
    }

    [Fact]
    public void Downsample_NaNSample_Throws()
    {
        var samples = new[] { new UsageSample(Start, double.NaN) };

        Assert.Throws<ArgumentException>(() => Downsampler.Downsample(samples));
    }
}

using Thoras.Domain.Forecasting;
using Xunit;

namespace Thoras.Domain.Tests.Forecasting;

public sealed class UsageSeriesTests
{
    private static readonly TimeSpan Block = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CompleteAndContiguous_BlockInProgress_IsLeftOut()
    {
        var stored = new[] { new UsageBlock(T0, 1, 1, 5), new UsageBlock(T0 + Block, 2, 2, 2) };

        var blocks = UsageSeries.CompleteAndContiguous(stored, Block, T0 + Block + TimeSpan.FromMinutes(2));

        Assert.Equal([T0], blocks.Select(b => b.Start));
    }

    [Fact]
    public void CompleteAndContiguous_Gap_CarriesPreviousBlockForwardWithCountZero()
    {
        var stored = new[] { new UsageBlock(T0, 1, 1, 5), new UsageBlock(T0 + (2 * Block), 3, 3, 5) };

        var blocks = UsageSeries.CompleteAndContiguous(stored, Block, T0 + (3 * Block));

        Assert.Equal(new UsageBlock(T0 + Block, 1, 1, 0), blocks[1]);
    }

    [Fact]
    public void BlockStart_MidBlock_IsAlignedDown()
    {
        Assert.Equal(T0 + Block, UsageSeries.BlockStart(T0 + Block + TimeSpan.FromSeconds(299), Block));
    }
}

using Thoras.Domain.Forecasting;

namespace Thoras.Domain.Tests.Forecasting;

/// <summary>Builds contiguous 5-minute usage series for tests.</summary>
internal sealed class UsageSeriesBuilder
{
    public static readonly DateTimeOffset Monday = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private readonly List<double> values = [];
    private int seed = 1;

    public UsageSeriesBuilder WithConstant(int blocks, double value)
    {
        values.AddRange(Enumerable.Repeat(value, blocks));
        return this;
    }

    public UsageSeriesBuilder WithDailyWave(int blocks, double mean, double amplitude, double noise)
    {
        var random = new Random(seed++);
        for (var i = 0; i < blocks; i++)
        {
            var t = values.Count;
            values.Add(mean + (amplitude * Math.Sin(2 * Math.PI * t / 288.0)) + (noise * random.NextDouble()));
        }

        return this;
    }

    public UsageSeriesBuilder WithValues(params double[] more)
    {
        values.AddRange(more);
        return this;
    }

    public List<UsageBlock> Build() =>
        values.Select((v, i) => new UsageBlock(Monday.AddMinutes(5 * i), v, v * 0.8, 5)).ToList();
}

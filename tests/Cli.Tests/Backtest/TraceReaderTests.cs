using Thoras.Cli.Backtest;
using Xunit;

namespace Thoras.Cli.Tests.Backtest;

public class TraceReaderTests
{
    [Fact]
    public void Read_TimestampValue_OneSeriesNamedAfterFile()
    {
        var series = Read("timestamp,value\n2014-02-14 14:30:00,0.132\n2014-02-14 14:35:00,0.5\n", "nab/ec2.csv");

        var only = Assert.Single(series);
        Assert.Equal("ec2", only.Name);
        Assert.Equal(new DateTimeOffset(2014, 2, 14, 14, 35, 0, TimeSpan.Zero), only.Samples[1].Timestamp);
        Assert.Equal(0.5, only.Samples[1].Value);
    }

    [Fact]
    public void Read_MultiColumn_OneSeriesPerColumnFromRelativeEpoch()
    {
        var series = Read("t_seconds,vm1,vm2\n0,1.5,2\n300,3,4\n", "cpu_max.csv");

        Assert.Equal(["cpu_max/vm1", "cpu_max/vm2"], series.Select(s => s.Name));
        Assert.Equal(TraceReader.RelativeEpoch.AddMinutes(5), series[1].Samples[1].Timestamp);
        Assert.Equal(DayOfWeek.Monday, TraceReader.RelativeEpoch.DayOfWeek);
        Assert.Equal(4, series[1].Samples[1].Value);
    }

    [Fact]
    public void Read_MultiColumnEmptyCell_MissingSample()
    {
        var series = Read("t_seconds,vm1\n0,1\n300,\n600,2\n", "x.csv");

        Assert.Equal(2, Assert.Single(series).Samples.Count);
    }

    [Theory]
    [InlineData("timestamp,value\n2014-02-14 14:30:00,0.1\n2014-02-14 14:35:00,abc\n", "x.csv:3: 'abc' is not a finite number.")]
    [InlineData("timestamp,value\nyesterday,0.1\n", "x.csv:2: 'yesterday' is not a timestamp")]
    [InlineData("timestamp,value\n2014-02-14 14:30:00,0.1,7\n", "x.csv:2: expected 2 columns")]
    [InlineData("t_seconds,a,b\n0,1,2\n300,1\n", "x.csv:3: expected 3 columns")]
    [InlineData("t_seconds,a\nsoon,1\n", "x.csv:2: 'soon' is not a number of seconds.")]
    [InlineData("timestamp,value\n2014-02-14 14:30:00,-1\n", "x.csv:2: usage -1 is negative.")]
    [InlineData("time,cpu\n", "x.csv:1: unknown header 'time,cpu'")]
    [InlineData("", "x.csv:1: the file is empty")]
    [InlineData("timestamp,value\n", "x.csv:1: no samples")]
    public void Read_BadFile_ErrorNamesTheLine(string text, string expected)
    {
        var error = Assert.Throws<TraceFormatException>(() => Read(text, "x.csv"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAll_MissingPath_ClearError()
    {
        var error = Assert.Throws<TraceFormatException>(() => TraceReader.ReadAll(["/nonexistent/trace.csv"]));

        Assert.Contains("/nonexistent/trace.csv", error.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<TraceSeries> Read(string text, string source)
    {
        using var reader = new StringReader(text);
        return TraceReader.Read(reader, source);
    }
}

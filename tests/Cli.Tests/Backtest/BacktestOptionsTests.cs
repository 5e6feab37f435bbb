using Thoras.Cli.Backtest;
using Xunit;

namespace Thoras.Cli.Tests.Backtest;

public sealed class BacktestOptionsTests
{
    private static readonly BacktestOptions Options = new()
    {
        Upper = 1000,
        UpperByPath = new Dictionary<string, double> { ["/traces/nab"] = 100, ["/traces/nab/elb.csv"] = 5000 },
    };

    [Theory]
    [InlineData("/traces/nab/ec2.csv", 100.0)]     // under the directory
    [InlineData("/traces/nab/elb.csv", 5000.0)]    // the file itself: the longer path wins
    [InlineData("/traces/nabla/x.csv", 1000.0)]    // a name that only starts the same: the default
    [InlineData("", 1000.0)]                       // no file: the default
    public void UpperFor_Source_LongestMatchingPathElseDefault(string source, double expected)
    {
        Assert.Equal(expected, Options.UpperFor(source));
    }

    [Fact]
    public void UpperFor_NothingGiven_None()
    {
        Assert.Null(new BacktestOptions().UpperFor("/traces/nab/ec2.csv"));
    }
}

using Thoras.Cli.Bench;
using Xunit;

namespace Thoras.Cli.Tests.Bench;

public sealed class PassBenchOptionsTests
{
    [Fact]
    public void Parse_NoOptions_Defaults()
    {
        var options = PassBenchOptions.Parse([]);

        Assert.Equal((100, 10, 0.2, 2, 2.0, false), (options.Fleet.Targets, options.Fleet.Namespaces, options.Fleet.HorizontalShare, options.Fleet.Replicas, options.Days, options.Json));
        Assert.Equal((1, 1, 50.0, 100, 50.0, 100, (int?)null), (options.Workers, options.Ticks, options.Qps, options.Burst, options.FirstQps, options.FirstBurst, options.Train));
    }

    [Fact]
    public void Parse_FleetOptions_Read()
    {
        var options = PassBenchOptions.Parse(["--workers", "8", "--ticks", "3", "--qps", "400", "--burst", "800", "--first-qps", "900", "--first-burst", "1800", "--train", "20"]);

        Assert.Equal((8, 3, 400.0, 800, 900.0, 1800, (int?)20), (options.Workers, options.Ticks, options.Qps, options.Burst, options.FirstQps, options.FirstBurst, options.Train));
    }

    [Fact]
    public void Parse_FewerTargetsThanNamespaces_OneNamespacePerTarget()
    {
        Assert.Equal(3, PassBenchOptions.Parse(["--targets", "3"]).Fleet.Namespaces);
    }

    [Theory]
    [InlineData("--targets", "0")]
    [InlineData("--targets", "2.5")]
    [InlineData("--days", "0.5")]
    [InlineData("--horizontal-share", "1.5")]
    [InlineData("--namespaces", "0")]
    [InlineData("--format", "xml")]
    [InlineData("--workers", "0")]
    [InlineData("--workers", "65")]
    [InlineData("--ticks", "0")]
    [InlineData("--qps", "0")]
    [InlineData("--first-qps", "-1")]
    [InlineData("--burst", "0")]
    [InlineData("--train", "0")]
    [InlineData("--target", "5")]
    public void Parse_BadOption_ClearError(string name, string value)
    {
        var error = Assert.Throws<CommandLineException>(() => PassBenchOptions.Parse([name, value]));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, 0.2, 2)]
    [InlineData(1000, 0.2, 200)]
    [InlineData(7, 0, 0)]
    [InlineData(7, 1, 7)]
    public void HorizontalCount_Share_SpreadEvenly(int targets, double share, int expected)
    {
        Assert.Equal(expected, new FleetSpec(targets, 1, share, 2).HorizontalCount);
    }
}

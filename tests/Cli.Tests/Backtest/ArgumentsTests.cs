using Xunit;

namespace Thoras.Cli.Tests.Backtest;

public class ArgumentsTests
{
    [Theory]
    [InlineData("30s", 0.5)]
    [InlineData("5m", 5)]
    [InlineData("6h", 360)]
    [InlineData("1d", 1440)]
    public void ParseDuration_Suffixes_Minutes(string text, double minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), Arguments.ParseDuration("--x", text));
    }

    [Fact]
    public void ParseDuration_NoUnit_Throws()
    {
        Assert.Throws<CommandLineException>(() => Arguments.ParseDuration("--x", "15"));
    }

    [Fact]
    public void Parse_OptionWithoutValue_Throws()
    {
        Assert.Throws<CommandLineException>(() => Arguments.Parse(["--format"], new HashSet<string>()));
    }
}

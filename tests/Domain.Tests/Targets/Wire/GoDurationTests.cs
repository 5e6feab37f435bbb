using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

public class GoDurationTests
{
    [Theory]
    [InlineData("15m", "15m0s")]
    [InlineData("15m0s", "15m0s")]
    [InlineData("5m", "5m0s")]
    [InlineData("1h", "1h0m0s")]
    [InlineData("24h", "24h0m0s")]
    [InlineData("24h0m0s", "24h0m0s")]
    [InlineData("90s", "1m30s")]
    [InlineData("1h30m", "1h30m0s")]
    [InlineData("1.5h", "1h30m0s")]
    [InlineData("2h45m30.5s", "2h45m30.5s")]
    [InlineData("1500ms", "1.5s")]
    [InlineData("500ms", "500ms")]
    [InlineData("1us", "1µs")]
    [InlineData("1µs", "1µs")]
    [InlineData("1.5ms", "1.5ms")]
    [InlineData("100ns", "100ns")]
    [InlineData("0", "0s")]
    [InlineData("0s", "0s")]
    [InlineData("168h", "168h0m0s")]
    public void Format_ParsedDuration_IsWhatGoPrints(string text, string formatted)
    {
        var duration = GoDuration.Parse(text);

        Assert.Equal(formatted, GoDuration.Format(duration));
    }

    [Theory]
    [InlineData("15m0s", 15 * 60)]
    [InlineData("1h30m", 90 * 60)]
    [InlineData("24h", 24 * 3600)]
    public void Parse_Duration_HasTheRightLength(string text, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), GoDuration.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("1x")]
    [InlineData("m")]
    [InlineData("1.2.3s")]
    [InlineData(".s")]
    [InlineData("1 h")]
    [InlineData("1d")]
    public void Parse_NotADuration_ThrowsWithExamples(string text)
    {
        var error = Assert.Throws<FormatException>(() => GoDuration.Parse(text));

        Assert.Equal($"'{text}' is not a duration (examples: 30s, 5m, 15m0s, 1h30m, 24h)", error.Message);
    }

    [Fact]
    public void Parse_Negative_ThrowsSayingSo()
    {
        var error = Assert.Throws<FormatException>(() => GoDuration.Parse("-5m"));

        Assert.Equal("'-5m' is negative; a duration must be zero or longer", error.Message);
    }

    [Fact]
    public void Parse_FinerThanATick_ThrowsSayingSo()
    {
        var error = Assert.Throws<FormatException>(() => GoDuration.Parse("1ns"));

        Assert.Equal("'1ns' is finer than 100ns, which is not supported", error.Message);
    }
}

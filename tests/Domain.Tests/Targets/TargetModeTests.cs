using System.Text.Json;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

public class TargetModeTests
{
    [Theory]
    [InlineData("autonomous", TargetMode.Autonomous)]
    [InlineData("auto", TargetMode.Autonomous)]
    [InlineData("recommendation", TargetMode.Recommendation)]
    [InlineData("recommend", TargetMode.Recommendation)]
    [InlineData("rec", TargetMode.Recommendation)]
    [InlineData("observation", TargetMode.Observation)]
    [InlineData("observe", TargetMode.Observation)]
    [InlineData(" Auto ", TargetMode.Autonomous)]
    [InlineData("REC", TargetMode.Recommendation)]
    public void Parse_ModeOrAlias_Normalises(string text, TargetMode expected)
    {
        Assert.Equal(expected, TargetModes.Parse(text));
    }

    [Theory]
    [InlineData("auto", "autonomous")]
    [InlineData("rec", "recommendation")]
    [InlineData("observe", "observation")]
    public void Serialize_AliasReadFromJson_WritesCanonicalName(string alias, string canonical)
    {
        var mode = JsonSerializer.Deserialize<TargetMode>($"\"{alias}\"");

        Assert.Equal($"\"{canonical}\"", JsonSerializer.Serialize(mode));
    }

    [Fact]
    public void Parse_UnknownMode_ThrowsListingTheAllowedValues()
    {
        var error = Assert.Throws<FormatException>(() => TargetModes.Parse("fast"));

        Assert.Equal("'fast' is not a mode; use autonomous (auto), recommendation (recommend, rec) or observation (observe)", error.Message);
    }

    [Theory]
    [InlineData(TargetMode.Observation, false)]
    [InlineData(TargetMode.Recommendation, true)]
    [InlineData(TargetMode.Autonomous, true)]
    public void PublishesSuggestions_Mode_OnlyObservationDoesNot(TargetMode mode, bool publishes)
    {
        Assert.Equal(publishes, mode.PublishesSuggestions());
    }

    [Fact]
    public void AcceptedValues_EverySpelling_Parses()
    {
        Assert.All(TargetModes.AcceptedValues, v => Assert.True(TargetModes.TryParse(v, out _)));
    }
}

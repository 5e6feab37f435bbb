using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

public class LabelSelectorTests
{
    private static readonly LabelSelector Selector = new()
    {
        MatchLabels = new Dictionary<string, string> { ["app"] = "cache" },
        MatchExpressions =
        [
            new() { Key = "tier", Operator = "In", Values = ["backend", "storage"] },
            new() { Key = "canary", Operator = "DoesNotExist" },
        ],
    };

    [Fact]
    public void Matches_LabelsMeetingEveryRequirement_IsTrue()
    {
        Assert.True(Selector.Matches(new Dictionary<string, string> { ["app"] = "cache", ["tier"] = "backend", ["extra"] = "x" }));
    }

    [Theory]
    [InlineData("app", "web")]
    [InlineData("tier", "frontend")]
    [InlineData("canary", "true")]
    public void Matches_OneRequirementBroken_IsFalse(string key, string value)
    {
        var labels = new Dictionary<string, string> { ["app"] = "cache", ["tier"] = "backend", [key] = value };

        Assert.False(Selector.Matches(labels));
    }

    [Fact]
    public void ToString_Selector_IsTheApiQuerySyntax()
    {
        Assert.Equal("app=cache,tier in (backend,storage),!canary", Selector.ToString());
    }
}

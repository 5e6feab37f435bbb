using System.Text.Json;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

public class TargetJsonTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Theory]
    [InlineData("""{"vertical":{"mode":"fast"}}""", "spec.vertical.mode: 'fast' is not a valid mode; use autonomous (auto), recommendation (recommend, rec) or observation (observe)")]
    [InlineData("""{"model":{"mode":"cheap"}}""", "spec.model.mode: 'cheap' is not a valid model mode; use balanced, cost_optimized, assurance_optimized or percentile")]
    [InlineData("""{"vertical":{"mode":"auto","update_policy":{"update_mode":"InPlace"}}}""", "spec.vertical.update_policy.update_mode: 'InPlace' is not a valid update_mode; use initial, in_place, in_place_or_recreate or recreate")]
    [InlineData("""{"model":{"forecast_blocks":"15"}}""", "spec.model.forecast_blocks: '15' is not a duration (examples: 30s, 5m, 15m0s, 1h30m, 24h)")]
    [InlineData("""{"vertical":{"mode":"auto","containers":[{"name":"a","cpu":{"lowerbound":"lots"}}]}}""", "spec.vertical.containers[0].cpu.lowerbound: 'lots' is not a Kubernetes quantity (examples: 250m, 1, 1.5, 512Mi, 2Gi)")]
    [InlineData("""{"horizontal":{"mode":"rec","minReplicas":"two"}}""", "spec.horizontal.minReplicas: has a value of the wrong type (see kubectl explain aiscaletarget.spec)")]
    [InlineData("""[]""", "spec: must be an object")]
    public void ReadSpec_MalformedField_NamesTheFieldAndWhatIsWrong(string json, string message)
    {
        var error = Assert.Throws<FormatException>(() => TargetJson.ReadSpec(Json(json)));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void ReadValidSpec_UnreadableField_GivesOneProblemAtThatField()
    {
        var spec = TargetJson.ReadValidSpec(Json("""{"vertical":{"mode":"fast"}}"""), out var problems);

        Assert.Null(spec);
        Assert.Equal([new SpecProblem("spec.vertical.mode", "'fast' is not a valid mode; use " + TargetModes.AllowedText)], problems);
    }

    [Fact]
    public void ReadValidSpec_NoSpec_SaysItIsRequired()
    {
        TargetJson.ReadValidSpec(default, out var problems);

        Assert.Equal([new SpecProblem("spec", "is required")], problems);
    }

    [Fact]
    public void ReadValidSpec_SpecBreakingRules_GivesEveryProblem()
    {
        var spec = TargetJson.ReadValidSpec(Json("""{"horizontal":{"mode":"auto","minReplicas":0}}"""), out var problems);

        Assert.Null(spec);
        Assert.Equal([new SpecProblem("spec", SpecRules.ExactlyOneWorkload), new SpecProblem("spec.horizontal.minReplicas", "must be at least 1, not 0")], problems);
    }

    [Fact]
    public void ReadValidSpec_ValidSpec_HasNoProblem()
    {
        var spec = TargetJson.ReadValidSpec(Json("""{"scaleTargetRef":{"kind":"Deployment","name":"web"},"vertical":{"mode":"auto"}}"""), out var problems);

        Assert.Equal((TargetMode.Autonomous, 0), (spec!.ModeOf(ScalingDirection.Vertical)!.Value, problems.Count));
    }

    [Fact]
    public void ReadSpec_Aliases_AreNormalised()
    {
        var spec = TargetJson.ReadSpec(Json("""{"vertical":{"mode":"auto"},"horizontal":{"mode":"rec"}}"""));

        Assert.Equal((TargetMode.Autonomous, TargetMode.Recommendation), (spec.ModeOf(ScalingDirection.Vertical), spec.ModeOf(ScalingDirection.Horizontal)));
    }

    [Fact]
    public void ReadSpec_UnknownField_IsIgnored()
    {
        var spec = TargetJson.ReadSpec(Json("""{"vertical":{"mode":"observe","future_field":1}}"""));

        Assert.Equal(TargetMode.Observation, spec.ModeOf(ScalingDirection.Vertical));
    }

    [Fact]
    public void Write_Spec_LeavesUnsetFieldsOut()
    {
        var json = TargetJson.Write(ASpec.VerticalDeployment(TargetMode.Autonomous)).GetRawText();

        Assert.Equal("""{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"vertical":{"mode":"autonomous"}}""", json);
    }

    [Fact]
    public void Write_Status_UsesTheCrdFieldNamesAndKubernetesTimes()
    {
        var status = new TargetStatus
        {
            LatestSuggestion = new Suggestion
            {
                SuggestionUID = "s-1",
                Start = new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.FromHours(1)),
                End = new DateTimeOffset(2026, 1, 31, 11, 15, 0, TimeSpan.Zero),
                HasEnoughDataToScale = true,
                ResourceRecommendations = [new() { ContainerName = "web", Requests = new() { Cpu = Quantity.Parse("0.25"), Memory = Quantity.Parse("512Mi") } }],
            },
            LastProcessedSuggestionUID = "s-0",
        };

        var json = TargetJson.Write(status).GetRawText();

        Assert.Equal(
            """{"latestSuggestion":{"suggestionUID":"s-1","start":"2026-01-31T11:00:00Z","end":"2026-01-31T11:15:00Z","hasEnoughDataToScale":true,"resourceRecommendations":[{"containerName":"web","requests":{"cpu":"250m","memory":"512Mi"}}]},"lastProcessedSuggestionUID":"s-0","latestSuggestionApplied":false}""",
            json);
    }

    [Fact]
    public void ReadStatus_WrittenStatus_RoundTrips()
    {
        var now = new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);
        var status = new TargetStatus { LastProcessedSuggestionUID = "s-9" }
            .WithCondition(TargetConditions.Paused(["manual"], now, 2));

        var read = TargetJson.ReadStatus(TargetJson.Write(status));

        Assert.Equal(TargetJson.Write(status).GetRawText(), TargetJson.Write(read).GetRawText());
    }
}

using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Thoras.Domain.Targets;
using Thoras.Domain.Tests.Targets;
using Xunit;

namespace Thoras.Infrastructure.Tests.Kubernetes;

/// <summary>
/// The chart's CRD and the domain validator agree, by running the CRD: every spec the validator refuses is refused by
/// the sandbox's enforcement of the CRD (its schema and its CEL rules, as an API server would), with the rule's message
/// at the validator's path where the refusal is a rule, and every CRD rule is broken by one of those specs.
/// </summary>
public sealed class CrdRulesTests(SandboxClusterFixture cluster) : IClassFixture<SandboxClusterFixture>
{
    private static JsonNode Wire(TargetSpec spec) => JsonNode.Parse(TargetJson.Write(spec).GetRawText())!;

    /// <summary>Creates an AIScaleTarget with <paramref name="spec"/>; the 422 status if it is refused, else null.</summary>
    private async Task<JsonObject?> RefusalAsync(string ns, JsonNode spec)
    {
        var ast = new JsonObject
        {
            ["apiVersion"] = "thoras.ai/v1",
            ["kind"] = "AIScaleTarget",
            ["metadata"] = new JsonObject { ["generateName"] = "t-" },
            ["spec"] = spec.DeepClone(),
        };
        try
        {
            await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(ast, "thoras.ai", "v1", ns, "aiscaletargets");
            return null;
        }
        catch (HttpOperationException e) when ((int)e.Response.StatusCode == 422)
        {
            return JsonNode.Parse(e.Response.Content)!.AsObject();
        }
    }

    private static IEnumerable<(string Field, string Message)> Causes(JsonObject status) =>
        status["details"]!["causes"]!.AsArray().Select(c => (c!["field"]!.ToString(), c["message"]!.ToString()));

    [Theory]
    [MemberData(nameof(InvalidSpecs.Theory), MemberType = typeof(InvalidSpecs))]
    public async Task Create_SpecTheValidatorRefuses_IsRefusedByTheCrd(InvalidSpecCase invalid)
    {
        var ns = await cluster.NewNamespaceAsync();
        Assert.Contains(TargetValidator.Validate(invalid.Spec), p => p.Message == invalid.Message);

        var refusal = await RefusalAsync(ns, Wire(invalid.Spec));

        Assert.True(refusal is not null, $"The CRD accepted '{invalid.Name}', which the validator refuses with '{invalid.Message}'");
        if (RuleMessages().Contains(invalid.Message))
            Assert.Contains((invalid.Path, $"Invalid value: \"object\": {invalid.Message}"), Causes(refusal!));
    }

    [Fact]
    public async Task Rules_EveryCelRuleOfTheCrd_IsBrokenByAnInvalidSpec()
    {
        var ns = await cluster.NewNamespaceAsync();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var invalid in InvalidSpecs.All)
        {
            if (await RefusalAsync(ns, Wire(invalid.Spec)) is { } refusal)
                seen.UnionWith(Causes(refusal).Select(c => c.Message));
        }

        Assert.All(RuleMessages(), message => Assert.Contains($"Invalid value: \"object\": {message}", seen));
    }

    [Fact]
    public async Task Create_BothDirectionsAutonomousInAnySpelling_IsRefused()
    {
        var ns = await cluster.NewNamespaceAsync();
        var refusals = new List<JsonObject?>();
        foreach (var verticalSpelling in TargetModes.AutonomousSpellings)
        {
            foreach (var horizontalSpelling in TargetModes.AutonomousSpellings)
            {
                var spec = Wire(ASpec.Both(TargetMode.Autonomous, TargetMode.Autonomous));
                spec["vertical"]!["mode"] = verticalSpelling;
                spec["horizontal"]!["mode"] = horizontalSpelling;
                refusals.Add(await RefusalAsync(ns, spec));
            }
        }

        Assert.All(refusals, r => Assert.Contains(("spec", $"Invalid value: \"object\": {SpecRules.OneAutonomousDirection}"), Causes(r!)));
    }

    [Fact]
    public async Task Create_ValidSpecs_AreAccepted()
    {
        var ns = await cluster.NewNamespaceAsync();
        TargetSpec[] valid =
        [
            ASpec.VerticalDeployment(), ASpec.HorizontalDeployment(), ASpec.VerticalSelector(),
            ASpec.Both(TargetMode.Autonomous, TargetMode.Recommendation), ASpec.Both(TargetMode.Observation, TargetMode.Autonomous),
        ];

        var refusals = new List<JsonObject?>();
        foreach (var spec in valid)
            refusals.Add(await RefusalAsync(ns, Wire(spec)));

        Assert.All(refusals, r => Assert.True(r is null, r?["message"]?.ToString()));
    }

    /// <summary>The messages of the CRD's CEL rules, read from the chart's file (the rules themselves run in the sandbox).</summary>
    private static HashSet<string> RuleMessages()
    {
        var crd = Thoras.Sandbox.Seeding.YamlManifests.Parse(File.ReadAllText(SandboxClusterFixture.CrdPath)).Single();
        var messages = new HashSet<string>(StringComparer.Ordinal);
        void Collect(JsonNode? schema)
        {
            if (schema is not JsonObject node)
                return;
            foreach (var rule in node["x-kubernetes-validations"] as JsonArray ?? [])
                messages.Add(rule!["message"]!.ToString());
            foreach (var (_, child) in node["properties"] as JsonObject ?? [])
                Collect(child);
            Collect(node["items"]);
        }

        Collect(crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]);
        return messages;
    }
}

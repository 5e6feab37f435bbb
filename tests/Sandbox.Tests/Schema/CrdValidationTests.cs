using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Thoras.Sandbox.Seeding;
using Thoras.Sandbox.Tests.Support;

namespace Thoras.Sandbox.Tests.Schema;

/// <summary>The chart's AIScaleTarget CRD enforced on writes (schema, defaults, CEL rules), over HTTP.</summary>
public sealed class CrdValidationTests : IClassFixture<SandboxFixture>
{
    private const string Group = "thoras.ai";
    private const string Version = "v1";
    private const string Plural = "aiscaletargets";
    private readonly SandboxFixture fixture;
    private readonly IKubernetes client;

    public CrdValidationTests(SandboxFixture fixture)
    {
        this.fixture = fixture;
        client = fixture.Client;
    }

    private async Task<string> NamespaceWithCrdAsync()
    {
        await fixture.Sandbox.Seed.ApplyFileAsync(TestPaths.ChartCrd);
        return await fixture.NewNamespaceAsync();
    }

    private static JsonObject Ast(string ns, string spec) => new()
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "AIScaleTarget",
        ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = ns },
        ["spec"] = JsonNode.Parse(spec),
    };

    private async Task<JsonObject> CreateAsync(string ns, string spec) =>
        Crds.Node(await client.CustomObjects.CreateNamespacedCustomObjectAsync(Ast(ns, spec), Group, Version, ns, Plural));

    private async Task<JsonObject> RefusedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(422, (int)error.Response.StatusCode);
        return Crds.StatusBody(error);
    }

    [Fact]
    public async Task Create_BothDirectionsAutonomous_Is422WithTheRulesMessageAtSpec()
    {
        var ns = await NamespaceWithCrdAsync();

        var status = await RefusedAsync(() => CreateAsync(ns,
            """{"scaleTargetRef":{"kind":"Deployment","name":"web"},"vertical":{"mode":"autonomous"},"horizontal":{"mode":"auto"}}"""));

        Assert.Equal(
            "AIScaleTarget.thoras.ai \"web\" is invalid: spec: Invalid value: \"object\": only one direction may be autonomous: vertical.mode and horizontal.mode are both autonomous",
            status["message"]!.ToString());
        var cause = Assert.Single(status["details"]!["causes"]!.AsArray())!;
        Assert.Equal(("FieldValueInvalid", "spec"), (cause["reason"]!.ToString(), cause["field"]!.ToString()));
    }

    [Fact]
    public async Task Create_MisspelledMode_Is422UnsupportedValueAndSkipsTheRules()
    {
        var ns = await NamespaceWithCrdAsync();

        var status = await RefusedAsync(() => CreateAsync(ns, """{"scaleTargetRef":{"kind":"Deployment","name":"web"},"vertical":{"mode":"autonomus"}}"""));

        Assert.Equal(
            "AIScaleTarget.thoras.ai \"web\" is invalid: [spec.vertical.mode: Unsupported value: \"autonomus\": supported values: \"autonomous\", \"recommendation\", \"observation\", \"auto\", \"recommend\", \"rec\", \"observe\", <nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]",
            status["message"]!.ToString());
    }

    [Fact]
    public async Task Create_WrongTypeAndBounds_ReportsEachFieldAsKubeOpenApiDoes()
    {
        var ns = await NamespaceWithCrdAsync();

        var status = await RefusedAsync(() => CreateAsync(ns,
            """{"scaleTargetRef":{"kind":"Deployment","name":"web"},"horizontal":{"mode":"rec","minReplicas":0,"maxReplicas":"3"}}"""));

        var causes = status["details"]!["causes"]!.AsArray().Select(c => $"{c!["field"]}: {c["message"]}").ToList();
        Assert.Contains("spec.horizontal.minReplicas: Invalid value: 0: spec.horizontal.minReplicas in body should be greater than or equal to 1", causes);
        Assert.Contains("spec.horizontal.maxReplicas: Invalid value: \"3\": spec.horizontal.maxReplicas in body must be of type integer: \"string\"", causes);
    }

    [Fact]
    public async Task Create_MissingRequiredMode_IsRequiredValue()
    {
        var ns = await NamespaceWithCrdAsync();

        var status = await RefusedAsync(() => CreateAsync(ns, """{"scaleTargetRef":{"kind":"Deployment","name":"web"},"vertical":{}}"""));

        Assert.Equal("AIScaleTarget.thoras.ai \"web\" is invalid: spec.vertical.mode: Required value", status["message"]!.ToString());
    }

    [Fact]
    public async Task Create_QuantityRule_ComparesQuantities()
    {
        var ns = await NamespaceWithCrdAsync();

        var status = await RefusedAsync(() => CreateAsync(ns,
            """{"scaleTargetRef":{"kind":"Deployment","name":"web"},"vertical":{"mode":"rec","containers":[{"name":"app","cpu":{"lowerbound":"2","upperbound":"500m"}}]}}"""));

        Assert.Equal(
            "AIScaleTarget.thoras.ai \"web\" is invalid: spec.vertical.containers[0].cpu: Invalid value: \"object\": lowerbound must not be greater than upperbound",
            status["message"]!.ToString());
    }

    [Fact]
    public async Task Create_WithoutModel_FillsInTheSchemaDefaults()
    {
        var ns = await NamespaceWithCrdAsync();

        var created = await CreateAsync(ns, """{"scaleTargetRef":{"kind":"Deployment","name":"web"},"vertical":{"mode":"recommendation"}}""");

        var spec = created["spec"]!;
        Assert.Equal(("apps/v1", "balanced", "15m0s", "5m0s", "24h0m0s"),
            (spec["scaleTargetRef"]!["apiVersion"]!.ToString(), spec["model"]!["mode"]!.ToString(), spec["model"]!["forecast_blocks"]!.ToString(),
                spec["model"]!["forecast_interval"]!.ToString(), spec["model"]!["min_lookback_to_scale"]!.ToString()));
    }

    [Fact]
    public async Task Create_UnknownField_IsPruned()
    {
        var ns = await NamespaceWithCrdAsync();

        var created = await CreateAsync(ns, """{"scaleTargetRef":{"kind":"Deployment","name":"web"},"vertical":{"mode":"rec","speed":"fast"}}""");

        Assert.Null(created["spec"]!["vertical"]!["speed"]);
    }

    [Fact]
    public async Task PatchStatus_InvalidConditionStatus_Is422()
    {
        var ns = await NamespaceWithCrdAsync();
        await CreateAsync(ns, """{"scaleTargetRef":{"kind":"Deployment","name":"web"},"vertical":{"mode":"rec"}}""");

        var status = await RefusedAsync(() => client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(Patch.Merge(
            """{"status":{"conditions":[{"type":"Ready","status":"Maybe","reason":"R","message":"m","lastTransitionTime":"2026-01-05T12:00:00Z"}]}}"""),
            Group, Version, ns, Plural, "web"));

        Assert.StartsWith("AIScaleTarget.thoras.ai \"web\" is invalid: [status.conditions[0].status: Unsupported value: \"Maybe\"", status["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatchStatus_ValidStatus_IsStored()
    {
        var ns = await NamespaceWithCrdAsync();
        await CreateAsync(ns, """{"scaleTargetRef":{"kind":"Deployment","name":"web"},"vertical":{"mode":"rec"}}""");

        var patched = await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(Patch.Merge("""{"status":{"lastProcessedSuggestionUID":"s-1"}}"""),
            Group, Version, ns, Plural, "web");

        Assert.Equal("s-1", Crds.Node(patched)["status"]!["lastProcessedSuggestionUID"]!.ToString());
    }

    [Fact]
    public async Task TransitionRule_ChangedImmutableField_Is422WhileCreateIsAllowed()
    {
        var ns = await fixture.NewNamespaceAsync();
        var crd = Manifests.CustomResourceDefinition("example.com", "v1", "Widget", "widgets", [], []);
        crd["spec"]!["versions"]![0]!["schema"] = JsonNode.Parse("""
            {"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"string",
            "x-kubernetes-validations":[{"rule":"self == oldSelf","message":"size is immutable"}]}}}}}}
            """);
        await fixture.Sandbox.Seed.ApplyAsync(crd);
        var widget = Manifests.CustomObject("example.com/v1", "Widget", ns, "w", new JsonObject { ["size"] = "small" });
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, "example.com", "v1", ns, "widgets");

        var status = await RefusedAsync(() => client.CustomObjects.PatchNamespacedCustomObjectAsync(Patch.Merge("""{"spec":{"size":"large"}}"""),
            "example.com", "v1", ns, "widgets", "w"));

        Assert.Equal("Widget.example.com \"w\" is invalid: spec.size: Invalid value: \"string\": size is immutable", status["message"]!.ToString());
    }

    [Fact]
    public async Task CreateCrd_RuleThatDoesNotParse_Is422()
    {
        var crd = Manifests.CustomResourceDefinition("broken.example.com", "v1", "Gadget", "gadgets", [], []);
        crd["spec"]!["versions"]![0]!["schema"] = JsonNode.Parse("""
            {"openAPIV3Schema":{"type":"object","x-kubernetes-validations":[{"rule":"self.a ++ 1"}]}}
            """);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(
            k8s.KubernetesJson.Deserialize<k8s.Models.V1CustomResourceDefinition>(crd.ToJsonString())));

        Assert.Contains("spec.versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule: Invalid value: \"self.a ++ 1\": compilation failed", Crds.StatusBody(error)["message"]!.ToString(), StringComparison.Ordinal);
    }
}

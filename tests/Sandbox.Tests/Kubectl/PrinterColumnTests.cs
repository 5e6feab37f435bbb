using System.Text.Json.Nodes;
using Thoras.Sandbox.Seeding;
using Thoras.Sandbox.Tests.Support;

namespace Thoras.Sandbox.Tests.Kubectl;

/// <summary>
/// A CRD's printer columns with JSONPath beyond plain fields (filters, indexes, typed cells), printed by the real
/// kubectl as the API server's table convertor makes them.
/// </summary>
public sealed class PrinterColumnTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture fixture;
    private readonly Support.Kubectl kubectl;

    public PrinterColumnTests(SandboxFixture fixture)
    {
        this.fixture = fixture;
        kubectl = new Support.Kubectl(fixture.Sandbox);
    }

    public void Dispose() => kubectl.Dispose();

    private static JsonObject WidgetCrd(params (string Name, string Type, string JsonPath)[] columns) =>
        Manifests.CustomResourceDefinition("example.com", "v1", "Widget", "widgets", ["wd"], columns);

    private static JsonObject Widget(string ns, string name, JsonObject spec, JsonArray? conditions = null)
    {
        var widget = Manifests.CustomObject("example.com/v1", "Widget", ns, name, spec);
        if (conditions is not null)
            widget["status"] = new JsonObject { ["conditions"] = conditions };
        return widget;
    }

    private static JsonObject Condition(string type, string status, string reason) =>
        new() { ["type"] = type, ["status"] = status, ["reason"] = reason };

    /// <summary>The data row of <c>kubectl get widgets</c> for <paramref name="name"/>, split on runs of spaces.</summary>
    private async Task<string[]> RowAsync(string ns, string name)
    {
        var output = await kubectl.OkAsync("get", "widgets", name, "-n", ns);
        var lines = output.Trim().Split('\n');
        return System.Text.RegularExpressions.Regex.Split(lines[1].Trim(), @"\s{2,}");
    }

    [Fact]
    public async Task Get_ConditionFilterColumns_ShowTheMatchingConditionsFields()
    {
        await fixture.Sandbox.Seed.ApplyAsync(WidgetCrd(
            ("Ready", "string", """.status.conditions[?(@.type=="Ready")].status"""),
            ("Scaling", "string", """.status.conditions[?(@.type=="Scaling")].status"""),
            ("Reason", "string", """.status.conditions[?(@.type=="Scaling")].reason""")));
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(Widget(ns, "w", [], [Condition("Ready", "True", "Valid"), Condition("Scaling", "False", "Paused")]));

        var row = await RowAsync(ns, "w");

        Assert.Equal(["w", "True", "False", "Paused"], row);
    }

    [Fact]
    public async Task Get_FilterMatchingNoCondition_ShowsNone()
    {
        await fixture.Sandbox.Seed.ApplyAsync(WidgetCrd(
            ("Ready", "string", """.status.conditions[?(@.type=="Ready")].status"""),
            ("Age", "date", ".metadata.creationTimestamp")));
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(Widget(ns, "w", [], [Condition("Scaling", "False", "Paused")]));

        var row = await RowAsync(ns, "w");

        Assert.Equal("<none>", row[1]);
    }

    [Fact]
    public async Task Get_IndexesAndSingleQuotedKeys_SelectThoseValues()
    {
        await fixture.Sandbox.Seed.ApplyAsync(WidgetCrd(
            ("First", "string", ".spec.sizes[0]"),
            ("Last", "string", ".spec.sizes[-1]"),
            ("Zone", "string", ".metadata.labels['topology.kubernetes.io/zone']")));
        var ns = await fixture.NewNamespaceAsync();
        var widget = Widget(ns, "w", new JsonObject { ["sizes"] = new JsonArray("small", "medium", "large") });
        widget["metadata"]!["labels"] = new JsonObject { ["topology.kubernetes.io/zone"] = "eu-1" };
        await fixture.Sandbox.Seed.ApplyAsync(widget);

        var row = await RowAsync(ns, "w");

        Assert.Equal(["w", "small", "large", "eu-1"], row);
    }

    [Fact]
    public async Task Get_ValueOfAnotherTypeThanTheColumns_ShowsNone()
    {
        await fixture.Sandbox.Seed.ApplyAsync(WidgetCrd(
            ("Replicas", "integer", ".spec.replicas"),
            ("Count", "integer", ".spec.count")));
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(Widget(ns, "w", new JsonObject { ["replicas"] = 3, ["count"] = "three" }));

        var row = await RowAsync(ns, "w");

        Assert.Equal(["w", "3", "<none>"], row);
    }
}

using Thoras.Sandbox.Tests.Support;

namespace Thoras.Sandbox.Tests.Schema;

/// <summary>The chart's CRD as the real kubectl meets it: refusals with the rule's message, and explain.</summary>
public sealed class CrdKubectlTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture fixture;
    private readonly Support.Kubectl kubectl;

    public CrdKubectlTests(SandboxFixture fixture)
    {
        this.fixture = fixture;
        kubectl = new Support.Kubectl(fixture.Sandbox);
    }

    public void Dispose() => kubectl.Dispose();

    private async Task<string> NamespaceWithCrdAsync()
    {
        await fixture.Sandbox.Seed.ApplyFileAsync(TestPaths.ChartCrd);
        return await fixture.NewNamespaceAsync();
    }

    private static string Ast(string ns, string vertical, string horizontal) => $"""
        apiVersion: thoras.ai/v1
        kind: AIScaleTarget
        metadata:
          name: web
          namespace: {ns}
        spec:
          scaleTargetRef: {"{"}kind: Deployment, name: web{"}"}
          vertical: {"{"}mode: {vertical}{"}"}
          horizontal: {"{"}mode: {horizontal}{"}"}
        """;

    [Fact]
    public async Task Apply_BothDirectionsAutonomous_IsRefusedWithTheRulesMessage()
    {
        var ns = await NamespaceWithCrdAsync();

        var result = await kubectl.RunAsync(["apply", "-f", "-"], stdin: Ast(ns, "autonomous", "autonomous"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(
            "The AIScaleTarget \"web\" is invalid: spec: Invalid value: \"object\": only one direction may be autonomous: vertical.mode and horizontal.mode are both autonomous",
            result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_OneDirectionAutonomous_IsCreated()
    {
        var ns = await NamespaceWithCrdAsync();

        var output = await kubectl.RunAsync(["apply", "-f", "-"], stdin: Ast(ns, "autonomous", "recommendation"));

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("aiscaletarget.thoras.ai/web created", output.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainRecursive_AstSpec_ListsTheFields()
    {
        await NamespaceWithCrdAsync();

        var output = await kubectl.OkAsync("explain", "ast.spec", "--recursive");

        Assert.Contains("KIND:       AIScaleTarget", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+scaleTargetRef\s+<Object>", output);
        Assert.Matches(@"(?m)^\s+vertical\s+<Object>", output);
        Assert.Matches(@"(?m)^\s+mode\s+<string> -required-", output);
        Assert.Matches(@"(?m)^\s+minReplicas\s+<integer>", output);
    }

    [Fact]
    public async Task Explain_Field_ShowsItsDescriptionAndEnum()
    {
        await NamespaceWithCrdAsync();

        var output = await kubectl.OkAsync("explain", "ast.spec.vertical.mode");

        Assert.Contains("What the app does vertically", output, StringComparison.Ordinal);
        Assert.Matches(@"ENUM:\s+autonomous\s+recommendation\s+observation", output);
    }
}

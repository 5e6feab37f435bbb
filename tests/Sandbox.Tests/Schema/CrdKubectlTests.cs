using Thoras.Sandbox.Tests.Support;

namespace Thoras.Sandbox.Tests.Schema;

/// <summary>
/// The chart's CRD as the real kubectl meets it: refusals with the rule's message, explain, and unknown fields
/// answered as its <c>--validate</c> modes (the <c>fieldValidation</c> directive they send) ask.
/// </summary>
public sealed class CrdKubectlTests : IClassFixture<SandboxFixture>, IDisposable
{
    private const string StrictRefusal = "AIScaleTarget in version \"v1\" cannot be handled as a AIScaleTarget: strict decoding error: unknown field \"spec.colour\"";
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

    private static string WithColour(string ns) => Ast(ns, "recommendation", "recommendation") + "\n  colour: blue\n";

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

    private async Task<string> ColourAsync(string ns) =>
        await kubectl.OkAsync("get", "ast", "web", "-n", ns, "-o", "jsonpath={.spec.colour}");

    [Fact]
    public async Task Apply_UnknownField_IsRefusedWithTheStrictDecodingError()
    {
        var ns = await NamespaceWithCrdAsync();

        var result = await kubectl.RunAsync(["apply", "-f", "-"], stdin: WithColour(ns));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Error from server (BadRequest): error when creating \"STDIN\": {StrictRefusal}", result.Error, StringComparison.Ordinal);
        Assert.Contains("NotFound", (await kubectl.RunAsync(["get", "ast", "web", "-n", ns])).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyValidateWarn_UnknownField_WarnsAndDropsIt()
    {
        var ns = await NamespaceWithCrdAsync();

        var result = await kubectl.RunAsync(["apply", "--validate=warn", "-f", "-"], stdin: WithColour(ns));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Warning: unknown field \"spec.colour\"", result.Error, StringComparison.Ordinal);
        Assert.Equal("", await ColourAsync(ns));
    }

    [Fact]
    public async Task ApplyValidateIgnore_UnknownField_DropsItWithoutAWarning()
    {
        var ns = await NamespaceWithCrdAsync();

        var result = await kubectl.RunAsync(["apply", "--validate=false", "-f", "-"], stdin: WithColour(ns));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("Warning", result.Error, StringComparison.Ordinal);
        Assert.Equal("", await ColourAsync(ns));
    }

    [Fact]
    public async Task Apply_UnknownFieldOnAnExistingObject_IsRefusedAsAnInvalidPatch()
    {
        var ns = await NamespaceWithCrdAsync();
        await kubectl.RunAsync(["apply", "-f", "-"], stdin: Ast(ns, "recommendation", "recommendation"));

        var result = await kubectl.RunAsync(["apply", "-f", "-"], stdin: WithColour(ns));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Matches("The request is invalid: patch: Invalid value: \".*\": strict decoding error: unknown field \\\\?\"spec.colour\\\\?\"", result.Error);
        Assert.Equal("", await ColourAsync(ns));
    }

    [Fact]
    public async Task ApplyServerSide_UnknownField_FailsTheTypedConversionWhateverTheDirective()
    {
        var ns = await NamespaceWithCrdAsync();

        var result = await kubectl.RunAsync(["apply", "--server-side", "--validate=false", "-f", "-"], stdin: WithColour(ns));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"failed to create typed patch object ({ns}/web; thoras.ai/v1, Kind=AIScaleTarget): .spec.colour: field not declared in schema", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRaw_UnsupportedDirective_IsRefusedAsInvalidCreateOptions()
    {
        var ns = await NamespaceWithCrdAsync();
        var file = Path.Combine(kubectl.Home, "ast.json");
        await File.WriteAllTextAsync(file, """{"apiVersion":"thoras.ai/v1","kind":"AIScaleTarget","metadata":{"name":"web"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"}}}""");

        var result = await kubectl.RunAsync(["create", "--raw", $"/apis/thoras.ai/v1/namespaces/{ns}/aiscaletargets?fieldValidation=Loose", "-f", file]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("fieldValidation: Unsupported value: \"Loose\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"", result.Error, StringComparison.Ordinal);
    }
}

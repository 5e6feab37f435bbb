using Thoras.Sandbox.Tests.Support;

namespace Thoras.Sandbox.Tests.Schema;

/// <summary>
/// Unknown fields in an AIScaleTarget as the real kubectl meets them: its <c>--validate</c> modes send the
/// <c>fieldValidation</c> directive, and the sandbox answers each as the API server does.
/// </summary>
public sealed class FieldValidationTests : IClassFixture<SandboxFixture>, IDisposable
{
    private const string StrictRefusal = "AIScaleTarget in version \"v1\" cannot be handled as a AIScaleTarget: strict decoding error: unknown field \"spec.colour\"";
    private readonly SandboxFixture fixture;
    private readonly Support.Kubectl kubectl;

    public FieldValidationTests(SandboxFixture fixture)
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

    private static string Ast(string ns, string extra = "") => $"""
        apiVersion: thoras.ai/v1
        kind: AIScaleTarget
        metadata:
          name: web
          namespace: {ns}
        spec:
          scaleTargetRef: {"{"}kind: Deployment, name: web{"}"}
          vertical: {"{"}mode: recommendation{"}"}
        {extra}
        """;

    private static string WithColour(string ns) => Ast(ns, "  colour: blue");

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
        await kubectl.RunAsync(["apply", "-f", "-"], stdin: Ast(ns));

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

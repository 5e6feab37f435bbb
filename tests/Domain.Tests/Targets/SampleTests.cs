using System.Text.Json.Nodes;
using System.Text.Json;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

/// <summary>Every AIScaleTarget in <c>infra/k8s/samples</c> is valid, and the model keeps every field of it.</summary>
public class SampleTests
{
    public static TheoryData<string, string> Samples()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, target) in Manifests.SampleTargets())
            data.Add(file, (string)target["metadata"]!["name"]!);
        return data;
    }

    private static JsonObject Spec(string file, string name) =>
        Manifests.SampleTargets().Single(t => t.File == file && (string?)t.Target["metadata"]!["name"] == name).Target["spec"]!.AsObject();

    [Fact]
    public void Samples_CoverEveryRequiredKind()
    {
        var specs = Manifests.SampleTargets().Select(t => TargetJson.ReadSpec(JsonSerializer.SerializeToElement(t.Target["spec"]))).ToList();

        Assert.Contains(specs, s => s.IsAutonomous(ScalingDirection.Vertical));
        Assert.Contains(specs, s => s.ModeOf(ScalingDirection.Horizontal) == TargetMode.Recommendation && s.Vertical is null);
        Assert.Contains(specs, s => s.Selector is not null);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Validate_Sample_HasNoProblem(string file, string name)
    {
        var spec = TargetJson.ReadSpec(JsonSerializer.SerializeToElement(Spec(file, name)));

        Assert.Empty(TargetValidator.Validate(spec));
    }

    [Fact]
    public void Validate_DemoSeedTargets_HaveNoProblem()
    {
        var problems = Manifests.TargetsIn(Manifests.DemoSeed)
            .SelectMany(t => TargetValidator.Validate(TargetJson.ReadSpec(JsonSerializer.SerializeToElement(t.Target["spec"])))
                .Select(p => $"{t.Target["metadata"]!["name"]}: {p}"));

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Write_SampleReadThroughTheModel_KeepsEveryFieldAndValue(string file, string name)
    {
        var original = Spec(file, name);

        var written = JsonNode.Parse(TargetJson.Write(TargetJson.ReadSpec(JsonSerializer.SerializeToElement(original))).GetRawText())!;

        Assert.Equal(Leaves(original), Leaves(written));
    }

    /// <summary>Each leaf's path and value, with values in canonical form (aliases, quantities and durations normalised).</summary>
    private static SortedDictionary<string, string> Leaves(JsonNode node)
    {
        var leaves = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(node, "spec", leaves);
        return leaves;
    }

    private static void Walk(JsonNode? node, string path, SortedDictionary<string, string> leaves)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                    Walk(child, $"{path}.{key}", leaves);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    Walk(array[i], $"{path}[{i}]", leaves);
                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                leaves[path] = Canonical(text);
                break;
            default:
                leaves[path] = node?.ToJsonString() ?? "null";
                break;
        }
    }

    private static string Canonical(string text)
    {
        if (TargetModes.TryParse(text, out var mode))
            return mode.ToWireName();
        if (GoDuration.TryParse(text, out var duration) && text != "0")
            return GoDuration.Format(duration);
        if (Quantity.TryParse(text, out var quantity))
            return quantity.ToString();
        return text;
    }
}

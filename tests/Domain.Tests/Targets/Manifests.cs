using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Thoras.Domain.Tests.Targets;

/// <summary>The repository's Kubernetes manifests (the chart's CRD and the samples), read as JSON the way kubectl sends them.</summary>
public static partial class Manifests
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string CrdPath => Path.Combine(RepositoryRoot, "infra", "k8s", "chart", "crds", "aiscaletargets.thoras.ai.yaml");

    public static string SamplesDirectory => Path.Combine(RepositoryRoot, "infra", "k8s", "samples");

    /// <summary>The CRD's <c>openAPIV3Schema</c> of version v1.</summary>
    public static JsonObject CrdSchema()
    {
        var crd = ReadDocuments(CrdPath).Single();
        var version = crd["spec"]!["versions"]!.AsArray().Single(v => (string?)v!["name"] == "v1")!;
        return version["schema"]!["openAPIV3Schema"]!.AsObject();
    }

    /// <summary>The CRD as a whole.</summary>
    public static JsonObject Crd() => ReadDocuments(CrdPath).Single().AsObject();

    /// <summary>The seed file of the local host's demo namespace (<c>thoras serve</c>).</summary>
    public static string DemoSeed => Path.Combine(RepositoryRoot, "src", "Cli", "Demo", "demo.yaml");

    /// <summary>Every AIScaleTarget in every sample file, with the file it came from.</summary>
    public static IEnumerable<(string File, JsonObject Target)> SampleTargets() =>
        Directory.EnumerateFiles(SamplesDirectory, "*.yaml")
            .Order(StringComparer.Ordinal)
            .SelectMany(TargetsIn);

    /// <summary>Every AIScaleTarget in one YAML file.</summary>
    public static IEnumerable<(string File, JsonObject Target)> TargetsIn(string file) =>
        ReadDocuments(file)
            .Select(doc => (File: Path.GetFileName(file), Doc: doc.AsObject()))
            .Where(d => (string?)d.Doc["kind"] == "AIScaleTarget");

    /// <summary>Every document of a YAML file, as JSON: plain scalars become numbers, booleans and nulls as in YAML 1.2.</summary>
    public static IReadOnlyList<JsonNode> ReadDocuments(string path)
    {
        using var reader = File.OpenText(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents
            .Where(d => d.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(d => ToJson(d.RootNode)!)
            .ToList();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
            return JsonValue.Create(value);
        if (value is "null" or "~" or "")
            return null;
        if (value is "true" or "false")
            return JsonValue.Create(value == "true");
        if (IntegerPattern().IsMatch(value))
            return JsonValue.Create(long.Parse(value, CultureInfo.InvariantCulture));
        if (FloatPattern().IsMatch(value))
            return JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture));
        return JsonValue.Create(value);
    }

    private static string FindRepositoryRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("THORAS_REPO_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment))
            return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ThorasFunctions.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("Cannot find the repository root (ThorasFunctions.sln) above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}

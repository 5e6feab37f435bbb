using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

/// <summary>
/// The CRD in the chart and the domain model describe the same resource: the same fields with the same JSON types,
/// the same allowed values and defaults, and the validator's rule messages among the CRD's. That the CRD's rules refuse
/// what the validator refuses is shown by running them: tests/Infrastructure.Tests/Kubernetes/CrdRulesTests.cs.
/// </summary>
public class CrdAgreementTests
{
    private static readonly JsonObject Schema = Manifests.CrdSchema();

    [Theory]
    [InlineData("spec", typeof(TargetSpec))]
    [InlineData("status", typeof(TargetStatus))]
    public void Fields_CrdSchemaAndModel_HaveTheSamePathsAndTypes(string root, Type model)
    {
        var fromCrd = new SortedDictionary<string, string>(StringComparer.Ordinal);
        SchemaFields(Schema["properties"]![root]!.AsObject(), root, fromCrd);
        var fromModel = new SortedDictionary<string, string>(StringComparer.Ordinal);
        ModelFields(model, root, fromModel);

        Assert.Equal(fromCrd, fromModel);
    }

    [Fact]
    public void CelRules_EveryValidatorRuleMessage_IsInTheCrd()
    {
        var crdMessages = CelRules().Select(r => r.Message).ToHashSet();
        var domainMessages = typeof(SpecRules).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!);

        Assert.All(domainMessages, m => Assert.Contains(m, crdMessages));
    }

    [Theory]
    [InlineData("spec.vertical.mode")]
    [InlineData("spec.horizontal.mode")]
    public void Enum_Mode_IsEverySpellingTheDomainAccepts(string path)
    {
        Assert.Equal(TargetModes.AcceptedValues.Order(StringComparer.Ordinal), Enum(path).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("spec.model.mode")]
    [InlineData("spec.vertical.model.mode")]
    [InlineData("spec.horizontal.model.mode")]
    public void Enum_ModelMode_IsEveryModelMode(string path)
    {
        Assert.Equal(System.Enum.GetValues<ModelMode>().Select(m => m.ToWireName()), Enum(path));
    }

    [Fact]
    public void Enum_UpdateMode_IsEveryUpdateMode()
    {
        Assert.Equal(System.Enum.GetValues<UpdateMode>().Select(m => m.ToWireName()), Enum("spec.vertical.update_policy.update_mode"));
    }

    [Fact]
    public void Enum_ConditionStatus_IsEveryConditionStatus()
    {
        Assert.Equal(System.Enum.GetNames<ConditionStatus>(), Enum("status.conditions[].status"));
    }

    [Fact]
    public void Defaults_SpecModel_AreTheDomainDefaults()
    {
        var model = Node("spec.model")["properties"]!;

        Assert.Equal(
            (TargetDefaults.ModelMode.ToWireName(), TargetDefaults.ForecastBlocks, TargetDefaults.ForecastInterval, TargetDefaults.MinLookbackToScale),
            ((string)model["mode"]!["default"]!, GoDuration.Parse((string)model["forecast_blocks"]!["default"]!),
                GoDuration.Parse((string)model["forecast_interval"]!["default"]!), GoDuration.Parse((string)model["min_lookback_to_scale"]!["default"]!)));
    }

    [Fact]
    public void MaxItems_Containers_IsTheValidatorsLimit()
    {
        Assert.Equal(TargetValidator.MaxContainers, (long)Node("spec.vertical.containers")["maxItems"]!);
    }

    [Fact]
    public void Crd_Names_AreTheDomainConstants()
    {
        var spec = Manifests.Crd()["spec"]!;

        Assert.Equal(
            ($"{AIScaleTarget.Plural}.{AIScaleTarget.ApiGroup}", AIScaleTarget.ApiGroup, AIScaleTarget.Kind, AIScaleTarget.Plural, "ast", "Namespaced"),
            ((string)Manifests.Crd()["metadata"]!["name"]!, (string)spec["group"]!, (string)spec["names"]!["kind"]!, (string)spec["names"]!["plural"]!,
                (string)spec["names"]!["shortNames"]![0]!, (string)spec["scope"]!));
    }

    [Fact]
    public void Crd_PrinterColumns_AreTheModesTheConditionsTheSuggestionAgeAndWhetherItIsApplied()
    {
        var version = Manifests.Crd()["spec"]!["versions"]![0]!;
        var columns = version["additionalPrinterColumns"]!.AsArray().Select(c => ((string)c!["name"]!, (string)c["jsonPath"]!));

        Assert.Equal(
            [
                ("Model Mode", ".spec.model.mode"), ("Horizontal Mode", ".spec.horizontal.mode"), ("Vertical Mode", ".spec.vertical.mode"),
                ("Ready", ".status.conditions[?(@.type==\"Ready\")].status"), ("Scaling", ".status.conditions[?(@.type==\"Scaling\")].status"),
                ("Reason", ".status.conditions[?(@.type==\"Scaling\")].reason"), ("Suggested", ".status.latestSuggestion.start"),
                ("Applied", ".status.latestSuggestionApplied"), ("Age", ".metadata.creationTimestamp"),
            ],
            columns);
    }

    private sealed record CelRule(string Location, string Rule, string Message);

    private static List<CelRule> CelRules()
    {
        var rules = new List<CelRule>();
        CollectRules(Schema["properties"]!["spec"]!.AsObject(), "spec", rules);
        return rules;
    }

    private static void CollectRules(JsonObject schema, string path, List<CelRule> rules)
    {
        foreach (var rule in schema["x-kubernetes-validations"]?.AsArray() ?? [])
            rules.Add(new CelRule(path, (string)rule!["rule"]!, (string)rule["message"]!));
        foreach (var (name, child) in schema["properties"]?.AsObject() ?? [])
            CollectRules(child!.AsObject(), $"{path}.{name}", rules);
        if (schema["items"] is JsonObject items)
            CollectRules(items, path + "[*]", rules);
    }

    private static JsonObject Node(string path)
    {
        JsonNode node = Schema;
        foreach (var part in path.Split('.'))
        {
            var name = part.TrimEnd('[', ']');
            node = node["properties"]![name]!;
            if (part.EndsWith("[]", StringComparison.Ordinal))
                node = node["items"]!;
        }

        return node.AsObject();
    }

    private static IEnumerable<string> Enum(string path) => Node(path)["enum"]!.AsArray().Select(v => (string)v!);

    /// <summary>Each field of the schema as path → JSON type; <c>[]</c> marks list items, <c>{}</c> map values.</summary>
    private static void SchemaFields(JsonObject schema, string path, IDictionary<string, string> fields)
    {
        var type = (string?)schema["type"];
        switch (type)
        {
            case "object" when schema["properties"] is JsonObject properties:
                foreach (var (name, child) in properties)
                    SchemaFields(child!.AsObject(), $"{path}.{name}", fields);
                break;
            case "object" when schema["additionalProperties"] is JsonObject values:
                SchemaFields(values, path + "{}", fields);
                break;
            case "array":
                SchemaFields(schema["items"]!.AsObject(), path + "[]", fields);
                break;
            default:
                fields[path] = type ?? "untyped";
                break;
        }
    }

    /// <summary>Each field the model serialises, as path → the JSON type it is written as.</summary>
    private static void ModelFields(Type type, string path, IDictionary<string, string> fields)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
                continue;
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
                ?? throw new InvalidOperationException($"{type.Name}.{property.Name} is serialised but has no [JsonPropertyName] naming its CRD field");
            ModelField(property.PropertyType, $"{path}.{name}", fields);
        }
    }

    private static void ModelField(Type type, string path, IDictionary<string, string> fields)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string) || t == typeof(Quantity) || t == typeof(TimeSpan) || t == typeof(DateTimeOffset) || t.IsEnum)
            fields[path] = "string";
        else if (t == typeof(int) || t == typeof(long))
            fields[path] = "integer";
        else if (t == typeof(double))
            fields[path] = "number";
        else if (t == typeof(bool))
            fields[path] = "boolean";
        else if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
            ModelField(t.GetGenericArguments()[1], path + "{}", fields);
        else if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            ModelField(t.GetGenericArguments()[0], path + "[]", fields);
        else if (t.IsClass)
            ModelFields(t, path, fields);
        else
            throw new InvalidOperationException($"No JSON type known for {t.Name} at {path}");
    }
}

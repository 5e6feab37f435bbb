using System.Text.Json.Nodes;

namespace Thoras.Sandbox.Storage;

/// <summary>One served resource: where it lives in the API and how it behaves (a custom resource's version with its
/// <c>openAPIV3Schema</c>, never changed once registered). A custom resource's <c>PrinterColumns</c> are null when one
/// of their paths does not parse, and the API server then prints the default columns.</summary>
internal sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    bool HasStatus,
    bool HasScale,
    bool IsCustom = false,
    IReadOnlyList<PrinterColumn>? PrinterColumns = null,
    StoredVersion? Conversion = null,
    JsonObject? Schema = null)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Storage key: one store per group and plural, whatever version is asked for, or the storage of the type this
    /// one is converted to.</summary>
    public string StorageKey => Conversion?.Storage.StorageKey ?? $"{Group}/{Plural}";

    /// <summary>The type whose form objects of this type are stored in.</summary>
    public ResourceType Stored => Conversion?.Storage ?? this;

    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string Singular => Kind.ToLowerInvariant();

    public string ListKind => Kind + "List";
}

/// <summary>A column of <c>kubectl get</c> output, from a CRD's <c>additionalPrinterColumns</c>.</summary>
internal sealed record PrinterColumn(string Name, string Type, string Format, JsonPathExpression JsonPath, string Description, int Priority);

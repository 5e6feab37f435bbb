namespace Thoras.Sandbox.Api;

/// <summary>One served resource: where it lives in the API and how it behaves.</summary>
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
    IReadOnlyList<PrinterColumn>? PrinterColumns = null)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Storage key: one store per group and plural, whatever version is asked for.</summary>
    public string StorageKey => $"{Group}/{Plural}";

    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string Singular => Kind.ToLowerInvariant();

    public string ListKind => Kind + "List";
}

/// <summary>A column of <c>kubectl get</c> output, from a CRD's <c>additionalPrinterColumns</c>.</summary>
internal sealed record PrinterColumn(string Name, string Type, string JsonPath, string Description, int Priority);

namespace Thoras.Domain.Targets;

/// <summary>
/// Which targets one pass of a stage covers: every target, the targets of some namespaces, or a given set of target
/// UIDs (a batch handed to a queue-triggered function). The pass still reads the cluster once, for the namespaces in
/// scope, and leaves every other target alone.
/// </summary>
/// <param name="Namespaces">The namespaces listed; empty means every namespace.</param>
/// <param name="Uids">When set, only the targets with these <c>metadata.uid</c>s.</param>
public sealed record TargetScope(IReadOnlyCollection<string> Namespaces, IReadOnlySet<string>? Uids = null)
{
    /// <summary>Every target in the cluster.</summary>
    public static TargetScope All { get; } = new([]);

    /// <summary>The targets of <paramref name="namespaces"/> (every namespace when empty).</summary>
    public static TargetScope InNamespaces(IEnumerable<string> namespaces) => new([.. (namespaces ?? []).Distinct(StringComparer.Ordinal)]);

    /// <summary>The targets with <paramref name="uids"/>, listed from <paramref name="namespaces"/> (every namespace when empty).</summary>
    public static TargetScope OfUids(IEnumerable<string> uids, IEnumerable<string>? namespaces = null) =>
        new([.. (namespaces ?? []).Distinct(StringComparer.Ordinal)], (uids ?? []).ToHashSet(StringComparer.Ordinal));

    /// <summary>Whether the target with <paramref name="metadata"/> is in scope.</summary>
    public bool Includes(TargetMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return (Namespaces.Count == 0 || Namespaces.Contains(metadata.Namespace)) && (Uids is null || Uids.Contains(metadata.Uid));
    }
}

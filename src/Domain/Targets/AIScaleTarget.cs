namespace Thoras.Domain.Targets;

/// <summary>
/// An enrolled workload: an <c>AIScaleTarget</c> custom resource (<c>thoras.ai/v1</c>) whose spec passed
/// <see cref="TargetValidator"/>. Targets that fail it are <see cref="InvalidTarget"/>s instead, so code holding an
/// <see cref="AIScaleTarget"/> can rely on the spec's rules.
/// </summary>
/// <param name="Metadata">Identity and bookkeeping from the cluster.</param>
/// <param name="Spec">What the user asked for.</param>
/// <param name="Status">What the app last wrote.</param>
public sealed record AIScaleTarget(TargetMetadata Metadata, TargetSpec Spec, TargetStatus Status)
{
    public const string ApiGroup = "thoras.ai";
    public const string ApiVersion = "v1";
    public const string Kind = "AIScaleTarget";
    public const string Plural = "aiscaletargets";

    /// <summary>The finalizer the app keeps on every target, so deleting one reverts its workload first.</summary>
    public const string CleanupFinalizer = "thoras.ai/cleanup";

    public TargetKey Key => Metadata.Key;
}

/// <summary>The parts of an AIScaleTarget's <c>metadata</c> the app uses.</summary>
public sealed record TargetMetadata
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>The identity of the target: a new UID is a new target, even with the same name.</summary>
    public required string Uid { get; init; }

    /// <summary>The version a write must match; a stale one gets a conflict.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Incremented by the API server on every spec change.</summary>
    public long? Generation { get; init; }

    public DateTimeOffset? CreationTimestamp { get; init; }

    /// <summary>Set once the target was deleted; it stays until its finalizers are removed.</summary>
    public DateTimeOffset? DeletionTimestamp { get; init; }

    public IReadOnlyList<string> Finalizers { get; init; } = [];

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public TargetKey Key => new(Namespace, Name);

    /// <summary>Whether the target was deleted and waits for its finalizers.</summary>
    public bool IsDeleting => DeletionTimestamp is not null;

    public bool HasFinalizer(string finalizer) => Finalizers.Contains(finalizer);
}

/// <summary>
/// An AIScaleTarget in the cluster whose spec cannot be used: it could not be read, or breaks a rule. The app
/// reports it (a <c>Ready=False, InvalidSpec</c> condition) and otherwise leaves it alone.
/// </summary>
/// <param name="Metadata">Identity from the cluster, so a condition can be written to the target.</param>
/// <param name="Problems">Every problem found.</param>
public sealed record InvalidTarget(TargetMetadata Metadata, IReadOnlyList<SpecProblem> Problems)
{
    public TargetKey Key => Metadata.Key;

    public override string ToString() => $"{Key}: {string.Join("; ", Problems)}";
}

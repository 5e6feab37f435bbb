using Thoras.Domain.Targets;

namespace Thoras.Domain.Enrollment;

/// <summary>
/// Conditional writes of an AIScaleTarget's mode: each succeeds only if the AST still has the
/// <c>resourceVersion</c> it was decided on, and never retries by itself, so the caller decides again on a conflict.
/// Both also set <see cref="PendingModeChange.ModeChangeAnnotation"/>, so it is visible afterwards which change wrote last.
/// </summary>
/// <example>
/// <code>
/// var version = await writer.WriteModeAsync(key, target.Metadata.ResourceVersion!, ScalingDirection.Vertical, TargetMode.Recommendation, changeId, ct);
/// </code>
/// </example>
public interface IModeWriter
{
    /// <summary>
    /// Sets <c>spec.&lt;direction&gt;.mode</c> to <paramref name="mode"/> and the annotation to <paramref name="changeId"/>,
    /// if the AST is still at <paramref name="resourceVersion"/>; returns its new resourceVersion. Throws
    /// <see cref="TargetConflictException"/> when it changed meanwhile, <see cref="TargetNotFoundException"/> when it is gone.
    /// </summary>
    Task<string> WriteModeAsync(TargetKey key, string resourceVersion, ScalingDirection direction, TargetMode mode, string changeId, CancellationToken cancellationToken);

    /// <summary>
    /// Sets only the annotation (to <paramref name="changeId"/>), if the AST is still at <paramref name="resourceVersion"/>:
    /// any write still conditional on that version then fails. Throws like <see cref="WriteModeAsync"/>.
    /// </summary>
    Task<string> FenceAsync(TargetKey key, string resourceVersion, string changeId, CancellationToken cancellationToken);
}

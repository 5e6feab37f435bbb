using Thoras.Domain.Targets;

namespace Thoras.Domain.Pause;

/// <summary>
/// The targets a pause affects, read from the cluster: every valid AIScaleTarget not being deleted with an
/// autonomous direction. The AST spec is the source of the modes (the Table copy follows it through sync).
/// </summary>
public sealed class ClusterAutonomousTargets(ITargetCluster cluster) : IAutonomousTargets
{
    public async Task<IReadOnlyList<AutonomousTarget>> ListAsync(CancellationToken cancellationToken)
    {
        var listing = await cluster.ListAsync([], cancellationToken);
        return listing.Targets
            .Where(t => !t.Metadata.IsDeleting && t.Spec.AutonomousDirection is not null)
            .Select(t => new AutonomousTarget(t.Metadata.Namespace, t.Metadata.Name, t.Metadata.Uid))
            .OrderBy(t => t.Namespace, StringComparer.Ordinal)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
    }
}

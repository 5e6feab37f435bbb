namespace Thoras.Domain.Pause;

/// <summary>The enrolled targets with at least one autonomous direction: the ones a pause affects.</summary>
public interface IAutonomousTargets
{
    /// <summary>Lists them, ordered by namespace and name.</summary>
    Task<IReadOnlyList<AutonomousTarget>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>An autonomous target, by name and identity.</summary>
/// <param name="Namespace">The AIScaleTarget's namespace.</param>
/// <param name="Name">The AIScaleTarget's name.</param>
/// <param name="Uid">The AIScaleTarget's <c>metadata.uid</c>.</param>
public sealed record AutonomousTarget(string Namespace, string Name, string Uid)
{
    /// <summary><c>namespace/name</c>.</summary>
    public string QualifiedName => Namespace + "/" + Name;
}

using Thoras.Domain.Pause;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Enrollment;

/// <summary>
/// <see cref="IAutonomousTargets"/> from the enrollment records: the targets with an autonomous direction, as the app
/// last adopted their modes, leaving out those being unenrolled.
/// </summary>
public sealed class EnrolledAutonomousTargets(IEnrollmentStore store) : IAutonomousTargets
{
    public async Task<IReadOnlyList<AutonomousTarget>> ListAsync(CancellationToken cancellationToken) =>
        (await store.ListAsync(cancellationToken))
            .Where(r => r.Unenroll is null && (r.VerticalMode == TargetMode.Autonomous || r.HorizontalMode == TargetMode.Autonomous))
            .OrderBy(r => r.Key.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Name, StringComparer.Ordinal)
            .Select(r => new AutonomousTarget(r.Key.Namespace, r.Key.Name, r.Uid))
            .ToList();
}

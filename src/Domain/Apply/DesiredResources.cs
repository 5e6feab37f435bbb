using Thoras.Domain.Targets;

namespace Thoras.Domain.Apply;

/// <summary>
/// The one place the apply stage (running pods) and the admission webhook (new pods) ask what a pod's containers should
/// run with, so both give the same answer for the same pod: the suggestion with every OOM floor still holding raised
/// into it (<see cref="OomFloor.Raise"/>), turned into requests and limits by <see cref="SuggestedResources.For"/>.
/// </summary>
public static class DesiredResources
{
    /// <summary>The containers of <paramref name="current"/> as they should be at <paramref name="now"/>; equal to the input when nothing changes.</summary>
    public static IReadOnlyList<ContainerResources> For(
        IReadOnlyList<ContainerResources> current, Suggestion suggestion, VerticalSpec vertical, IReadOnlyCollection<OomFloor> floors, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        ArgumentNullException.ThrowIfNull(floors);
        return SuggestedResources.For(current, OomFloor.Raise(suggestion, floors, now), vertical);
    }

    /// <summary>Whether two container lists ask for the same requests and limits.</summary>
    public static bool Same(IReadOnlyList<ContainerResources> a, IReadOnlyList<ContainerResources> b) => SuggestedResources.SameResources(a, b);
}

using Thoras.Domain.Targets;

namespace Thoras.Domain.Apply;

/// <summary>
/// OOM remediation (<c>vertical.oom_remediation</c>): after an OOM kill a container's memory is raised at once, to at
/// least <see cref="Factor"/> times the request it was killed with, and that raised value stays a floor under every
/// suggestion until the stabilisation window has passed.
/// </summary>
/// <param name="Container">The container that was killed.</param>
/// <param name="Memory">The floor.</param>
/// <param name="Until">When the floor stops applying.</param>
public sealed record OomFloor(string Container, Quantity Memory, DateTimeOffset Until)
{
    /// <summary>The least raise after an OOM kill (DESIGN.md §7).</summary>
    public const decimal Factor = 1.2m;

    /// <summary>The default stabilisation window when the spec sets none.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// The floor after an OOM kill at <paramref name="killedAt"/> of a container that ran with <paramref name="memoryRequest"/>,
    /// or null when remediation is disabled.
    /// </summary>
    public static OomFloor? AfterKill(string container, Quantity memoryRequest, DateTimeOffset killedAt, OomRemediation? policy)
    {
        if (policy?.Enabled == false)
            return null;
        var raised = Quantity.FromAmount(decimal.Ceiling(memoryRequest.Amount * Factor), QuantityFormat.BinarySI);
        return new OomFloor(container, raised, killedAt + (policy?.StabilizationWindow ?? DefaultWindow));
    }

    /// <summary>The memory to use at <paramref name="now"/>: <paramref name="suggested"/>, but never below the floor while it holds.</summary>
    public Quantity Apply(Quantity suggested, DateTimeOffset now) =>
        now < Until && suggested < Memory ? Memory : suggested;

    /// <summary>
    /// <paramref name="suggestion"/> with every floor that still holds at <paramref name="now"/> raised into its memory
    /// requests (a container the suggestion leaves out gets a recommendation of its own).
    /// </summary>
    public static Suggestion Raise(Suggestion suggestion, IReadOnlyCollection<OomFloor> floors, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        ArgumentNullException.ThrowIfNull(floors);
        var recommendations = (suggestion.ResourceRecommendations ?? []).ToList();
        foreach (var floor in floors.Where(f => now < f.Until))
        {
            var index = recommendations.FindIndex(r => r.ContainerName == floor.Container);
            var existing = index >= 0 ? recommendations[index] : new ResourceRecommendation { ContainerName = floor.Container, Requests = new ResourceAmounts() };
            var requests = existing.Requests ?? new ResourceAmounts();
            var memory = requests.Memory is { } m ? floor.Apply(m, now) : floor.Memory;
            var raised = existing with { Requests = requests with { Memory = memory } };
            if (index >= 0)
                recommendations[index] = raised;
            else
                recommendations.Add(raised);
        }

        return suggestion with { ResourceRecommendations = recommendations };
    }
}

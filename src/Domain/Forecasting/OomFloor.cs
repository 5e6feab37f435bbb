namespace Thoras.Domain.Forecasting;

/// <summary>
/// OOM remediation input: after an out-of-memory kill, the memory suggestion may not drop below the observed peak
/// times <see cref="Factor"/> until the stabilisation window since the last kill has passed.
/// </summary>
public sealed class OomFloor
{
    /// <summary>The least raise over the observed peak: ×1.2.</summary>
    public const double Factor = 1.2;

    private readonly TimeSpan stabilizationWindow;
    private DateTimeOffset? lastKill;
    private double floor;

    /// <summary>Creates a floor that holds for <paramref name="stabilizationWindow"/> after each kill.</summary>
    public OomFloor(TimeSpan stabilizationWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stabilizationWindow, TimeSpan.Zero);
        this.stabilizationWindow = stabilizationWindow;
    }

    /// <summary>Records an OOM kill at <paramref name="at"/> of a container whose memory peaked at <paramref name="observedPeak"/>.</summary>
    public void RecordKill(DateTimeOffset at, double observedPeak)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(observedPeak);
        var active = lastKill is { } previous && at - previous < stabilizationWindow;
        floor = active ? Math.Max(floor, observedPeak * Factor) : observedPeak * Factor;
        lastKill = lastKill is { } last && last > at ? last : at;
    }

    /// <summary>The suggestion raised to the floor while a kill is within the stabilisation window.</summary>
    public double Apply(double suggestion, DateTimeOffset now) =>
        lastKill is { } kill && now - kill < stabilizationWindow ? Math.Max(suggestion, floor) : suggestion;
}

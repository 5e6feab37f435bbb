namespace Thoras.Domain.Recommendation;

/// <summary>
/// The change-policy step: every change of a published bound resizes pods, so a change is priced. A bound the risk
/// target needs higher is raised at once, by at least the raise step; a lower bound is taken only when the saving
/// is at least the lower step, has lasted <see cref="ChangeBehavior.LowerAfter"/>, and the change budget has room.
/// Pure: the state goes in and the next state comes out; time is passed in.
/// </summary>
/// <example>
/// <code>
/// var decision = ChangePolicy.Decide(state, calibrated, now, ChangeBehavior.Default);
/// publish(decision.Bound); state = decision.Next;
/// </code>
/// </example>
public static class ChangePolicy
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>The bound to publish at <paramref name="at"/> for a newly <paramref name="desired"/> one, and the state after it.</summary>
    public static ChangeDecision Decide(ChangeState state, double desired, DateTimeOffset at, ChangeBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(behavior);
        if (!double.IsFinite(desired) || desired < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(desired), desired, "The desired bound must be a finite, non-negative number.");
        }

        var tokens = Refill(state, at, behavior);
        if (state.Bound is not { } current)
        {
            return Change(desired, at, tokens);
        }

        if (desired > current)
        {
            // Safety first: a raise the risk target needs is never refused, but it spends budget like any change.
            return Change(Math.Max(desired, current + behavior.RaiseStep.Of(current)), at, tokens);
        }

        if (desired > current - behavior.LowerStep.Of(current))
        {
            return Keep(state, current, at, tokens, lowerSince: null, lowerPeak: 0);
        }

        // Lower only to what every bound of the waiting time allowed, once it has waited long enough.
        var since = state.LowerSince ?? at;
        var peak = state.LowerSince is null ? desired : Math.Max(state.LowerPeak, desired);
        return at - since >= behavior.LowerAfter && tokens >= 1
            ? Change(peak, at, tokens)
            : Keep(state, current, at, tokens, since, peak);
    }

    private static double Refill(ChangeState state, DateTimeOffset at, ChangeBehavior behavior)
    {
        var elapsed = state.At is { } then && at > then ? at - then : TimeSpan.Zero;
        return Math.Min(behavior.BudgetPerDay, state.Tokens + (behavior.BudgetPerDay * (elapsed / Day)));
    }

    private static ChangeDecision Change(double bound, DateTimeOffset at, double tokens) =>
        new(new ChangeState(bound, at, Math.Max(0, tokens - 1), null, 0), bound, Changed: true);

    private static ChangeDecision Keep(ChangeState state, double current, DateTimeOffset at, double tokens, DateTimeOffset? lowerSince, double lowerPeak) =>
        new(state with { At = at, Tokens = tokens, LowerSince = lowerSince, LowerPeak = lowerPeak }, current, Changed: false);
}

/// <summary>What the change policy decided: the bound to publish, whether it differs from the one in force, and the next state.</summary>
public sealed record ChangeDecision(ChangeState Next, double Bound, bool Changed);

/// <summary>The change policy's memory for one series.</summary>
/// <param name="Bound">The bound in force; null before the first.</param>
/// <param name="At">When the policy last decided.</param>
/// <param name="Tokens">The change budget left (a day's budget at most; refilled continuously).</param>
/// <param name="LowerSince">Since when every desired bound has been low enough to lower to; null when not waiting.</param>
/// <param name="LowerPeak">The highest desired bound since <paramref name="LowerSince"/>: what a lowering goes to.</param>
public sealed record ChangeState(double? Bound, DateTimeOffset? At, double Tokens, DateTimeOffset? LowerSince, double LowerPeak)
{
    /// <summary>No bound yet and a full budget.</summary>
    public static ChangeState Initial(ChangeBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        return new ChangeState(null, null, behavior.BudgetPerDay, null, 0);
    }
}

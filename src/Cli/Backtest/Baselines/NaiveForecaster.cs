namespace Thoras.Cli.Backtest.Baselines;

/// <summary>
/// The naive baseline: the previous block's usage plus a split-conformal margin, the (1 − risk) quantile of the
/// errors "this block minus the one before the suggestion" over the last 3 days.
/// </summary>
public sealed class NaiveForecaster
{
    /// <summary>Blocks of errors kept: 3 days of 5-minute blocks.</summary>
    public const int DefaultWindow = 864;

    private readonly double riskTarget;
    private readonly int window;
    private readonly Queue<double> errors = new();
    private double? last;
    private double? basis;
    private int pendingBlocks;

    /// <summary>Creates a naive forecaster for <paramref name="riskTarget"/>.</summary>
    public NaiveForecaster(double riskTarget, int window = DefaultWindow)
    {
        if (riskTarget is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(riskTarget), riskTarget, "The risk target must be strictly between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        this.riskTarget = riskTarget;
        this.window = window;
    }

    /// <summary>Records the next block's usage; scores it against the last suggestion's basis while that is in force.</summary>
    public void Observe(double used)
    {
        if (basis is { } b && pendingBlocks > 0)
        {
            errors.Enqueue(used - b);
            pendingBlocks--;
            while (errors.Count > window)
            {
                errors.Dequeue();
            }
        }

        last = used;
    }

    /// <summary>The suggestion for the next <paramref name="intervalBlocks"/> blocks (0 before any usage).</summary>
    public double Suggest(int intervalBlocks)
    {
        if (last is not { } previous)
        {
            return 0;
        }

        basis = previous;
        pendingBlocks = intervalBlocks;
        return Math.Max(0, previous + Margin());
    }

    /// <summary>The (1 − risk) quantile of the held errors with the finite-sample correction; 0 without errors.</summary>
    public double Margin()
    {
        if (errors.Count == 0)
        {
            return 0;
        }

        var sorted = errors.ToArray();
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling((sorted.Length + 1) * (1 - riskTarget));
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}

namespace Thoras.Cli.Backtest.Baselines;

/// <summary>Settings of the re-implemented VPA recommender. Defaults are VPA's for CPU.</summary>
public sealed record VpaSettings
{
    /// <summary>Percentile of the decaying histogram used as target. Default: 0.9 (VPA's target estimator).</summary>
    public double Percentile { get; init; } = 0.9;

    /// <summary>Safety margin multiplied onto the percentile. Default: 1.15 (VPA's <c>recommendation-margin-fraction</c> 0.15).</summary>
    public double SafetyMargin { get; init; } = 1.15;

    /// <summary>Half-life of sample weights. Default: 24 hours.</summary>
    public TimeSpan HalfLife { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Bucket growth. Default: 1.05.</summary>
    public double BucketRatio { get; init; } = 1.05;

    /// <summary>Width of the first bucket, in usage units. Default: 0.01 (VPA's 10 millicores).</summary>
    public double FirstBucketSize { get; init; } = 0.01;

    /// <summary>Largest value with its own bucket. Default: 1000 (VPA's 1000 cores).</summary>
    public double MaxValue { get; init; } = 1000;
}

/// <summary>
/// The Kubernetes VPA recommender's target estimate, re-implemented from its published algorithm: every usage
/// sample goes into a decaying histogram; the target is a percentile of it times a safety margin. The backtest's
/// baseline the recommender must beat (traces have no OOM kills, so VPA's OOM bump is left out).
/// </summary>
public sealed class VpaRecommender
{
    private readonly VpaSettings settings;
    private readonly DecayingHistogram histogram;

    /// <summary>Creates a recommender with no samples.</summary>
    public VpaRecommender(VpaSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        this.settings = settings;
        histogram = new DecayingHistogram(settings.MaxValue, settings.FirstBucketSize, settings.BucketRatio, settings.HalfLife);
    }

    /// <summary>Adds one usage sample.</summary>
    public void AddSample(double used, DateTimeOffset at) => histogram.AddSample(used, 1.0, at);

    /// <summary>The target recommendation: percentile × safety margin (0 before any sample).</summary>
    public double Target() => histogram.Percentile(settings.Percentile) * settings.SafetyMargin;
}

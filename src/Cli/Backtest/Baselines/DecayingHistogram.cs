namespace Thoras.Cli.Backtest.Baselines;

/// <summary>
/// The Kubernetes VPA recommender's decaying exponential histogram (vertical-pod-autoscaler
/// <c>pkg/recommender/util/decaying_histogram.go</c>): bucket <c>k</c> starts at
/// <c>firstBucketSize · (ratio^k − 1) / (ratio − 1)</c>, and a sample's weight doubles every half-life after a
/// reference time, so older samples count exponentially less.
/// </summary>
public sealed class DecayingHistogram
{
    /// <summary>VPA re-bases weights when the decay exponent grows past this, to stay in floating-point range.</summary>
    private const double MaxDecayExponent = 100;

    private readonly double firstBucketSize;
    private readonly double ratio;
    private readonly double[] weights;
    private readonly TimeSpan halfLife;
    private DateTimeOffset? reference;
    private double totalWeight;

    /// <summary>Creates an empty histogram covering [0, <paramref name="maxValue"/>].</summary>
    /// <param name="maxValue">The largest value with its own bucket; larger samples go into the last bucket.</param>
    /// <param name="firstBucketSize">Width of the first bucket (VPA: 0.01 cores for CPU).</param>
    /// <param name="ratio">Growth of each bucket over the previous one (VPA: 1.05, i.e. 5 %).</param>
    /// <param name="halfLife">Time for a sample's weight to halve (VPA: 24 hours).</param>
    public DecayingHistogram(double maxValue, double firstBucketSize, double ratio, TimeSpan halfLife)
    {
        if (!(firstBucketSize > 0) || !(ratio > 1) || !(maxValue > firstBucketSize) || halfLife <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(maxValue), "Needs maxValue > firstBucketSize > 0, ratio > 1 and a positive half-life.");
        }

        this.firstBucketSize = firstBucketSize;
        this.ratio = ratio;
        this.halfLife = halfLife;
        var buckets = (int)Math.Ceiling(Math.Log((maxValue * (ratio - 1) / firstBucketSize) + 1, ratio)) + 1;
        weights = new double[buckets];
    }

    /// <summary>True when no sample has been added.</summary>
    public bool IsEmpty => totalWeight <= 0;

    /// <summary>Start of bucket <paramref name="bucket"/>.</summary>
    public double BucketStart(int bucket) => firstBucketSize * (Math.Pow(ratio, bucket) - 1) / (ratio - 1);

    /// <summary>The bucket holding <paramref name="value"/>.</summary>
    public int BucketOf(double value)
    {
        if (value < firstBucketSize)
        {
            return 0;
        }

        var bucket = (int)Math.Floor(Math.Log((value * (ratio - 1) / firstBucketSize) + 1, ratio));
        return Math.Min(bucket, weights.Length - 1);
    }

    /// <summary>Adds a sample of weight <paramref name="weight"/> taken at <paramref name="time"/>.</summary>
    public void AddSample(double value, double weight, DateTimeOffset time)
    {
        reference ??= time;
        var exponent = (time - reference.Value) / halfLife;
        if (exponent > MaxDecayExponent)
        {
            Rebase(time);
            exponent = 0;
        }

        var decayed = weight * Math.Pow(2, exponent);
        weights[BucketOf(Math.Max(0, value))] += decayed;
        totalWeight += decayed;
    }

    /// <summary>
    /// The <paramref name="percentile"/> (0..1) as VPA computes it: the END of the first bucket at which the
    /// cumulative weight reaches the percentile, which rounds up by up to one bucket (5 %).
    /// </summary>
    public double Percentile(double percentile)
    {
        if (IsEmpty)
        {
            return 0;
        }

        var threshold = percentile * totalWeight;
        var partial = 0.0;
        var bucket = 0;
        for (; bucket < weights.Length - 1; bucket++)
        {
            partial += weights[bucket];
            if (partial >= threshold)
            {
                break;
            }
        }

        return bucket < weights.Length - 1 ? BucketStart(bucket + 1) : BucketStart(bucket);
    }

    private void Rebase(DateTimeOffset time)
    {
        var factor = Math.Pow(2, -((time - reference!.Value) / halfLife));
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] *= factor;
        }

        totalWeight *= factor;
        reference = time;
    }
}

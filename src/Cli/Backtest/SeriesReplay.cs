using Thoras.Cli.Backtest.Baselines;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Recommendation;

namespace Thoras.Cli.Backtest;

/// <summary>The replay of one series: usage per block and every policy's allocation per block.</summary>
/// <param name="Name">The series name.</param>
/// <param name="Blocks">The downsampled usage; a block with <see cref="UsageBlock.Count"/> 0 is a gap.</param>
/// <param name="ScoredFrom">The first block scored: where <c>min_lookback_to_scale</c> is reached.</param>
/// <param name="Upper">The most the series can use (<c>--upper</c>), honoured like a spec <c>upperbound</c>; null for none.</param>
/// <param name="Allocations">Per policy and setting, the allocation in force at each block (NaN before scoring).</param>
/// <param name="Results">The scores, in the order of <paramref name="Allocations"/>.</param>
public sealed record SeriesReplay(string Name, IReadOnlyList<UsageBlock> Blocks, int ScoredFrom, double? Upper, IReadOnlyList<double[]> Allocations, IReadOnlyList<PolicyResult> Results)
{
    /// <summary>How many blocks are gaps (no sample): left out of every policy's score.</summary>
    public int Gaps => Blocks.Count(b => b.Count == 0);
}

/// <summary>
/// Replays one series block by block through the app's recommender (<see cref="SeriesRecommender"/>: same
/// downsampling, features, retraining cadence, calibration, change policy and buffer; the spec's bounds as
/// <c>--upper</c>) and through the baselines, suggesting every forecast interval and scoring each measured block
/// against the suggestion in force. Gaps are seen by every policy as missing.
/// </summary>
public static class SeriesReplayer
{
    /// <summary>Replays <paramref name="series"/> with <paramref name="options"/>.</summary>
    public static SeriesReplay Replay(TraceSeries series, BacktestOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Forecast;
        var blocks = Downsampler.Downsample(series.Samples);
        var n = blocks.Count;
        var interval = settings.IntervalBlocks;
        var scoredFrom = Math.Min(n, Math.Max(2, (int)Math.Ceiling(settings.MinLookback / UsageSeries.Block)));
        var upper = options.UpperFor(series.Source);

        var risks = options.RiskTargets;
        var recommender = new SeriesRecommender(settings with { RiskTarget = risks[0] }, risks.Skip(1));
        var naive = risks.Select(r => new NaiveForecaster(r)).ToArray();
        var lookback = blocks.Take(scoredFrom).Where(b => b.Count > 0).Select(b => b.Max).ToArray();
        var lookbackPeak = lookback.DefaultIfEmpty(0).Max();
        var scale = lookbackPeak > 0 ? lookbackPeak : 1;
        var vpas = options.VpaPercentiles
            .Select(p => new VpaRecommender(new VpaSettings { Percentile = p, FirstBucketSize = 1e-3 * scale, MaxValue = 1e3 * scale }))
            .ToArray();
        var staticRequest = StaticPeak.Request(lookback);

        var thorasAlloc = risks.Select(_ => Filled(n)).ToArray();
        var naiveAlloc = risks.Select(_ => Filled(n)).ToArray();
        var vpaAlloc = vpas.Select(_ => Filled(n)).ToArray();
        var staticAlloc = Filled(n);
        void Fill(double[] values, int from, int to, double value) => Array.Fill(values, SpecBounds.Clamp(value, null, upper), from, to - from);

        for (var t = 0; t < n; t++)
        {
            if (t >= scoredFrom && (t - scoredFrom) % interval == 0)
            {
                var until = Math.Min(n, t + interval);
                var forecasts = recommender.RecommendEach();
                for (var r = 0; r < risks.Count; r++)
                {
                    Fill(thorasAlloc[r], t, until, forecasts[r].Suggestion ?? double.NaN);
                    Fill(naiveAlloc[r], t, until, naive[r].Suggest(interval));
                }

                for (var v = 0; v < vpas.Length; v++)
                {
                    Fill(vpaAlloc[v], t, until, vpas[v].Target());
                }

                Fill(staticAlloc, t, until, staticRequest);
            }

            recommender.Observe(blocks[t]);
            if (blocks[t].Count == 0)
            {
                continue;
            }

            foreach (var each in naive)
            {
                each.Observe(blocks[t].Max);
            }

            foreach (var vpa in vpas)
            {
                vpa.AddSample(blocks[t].Max, blocks[t].Start);
            }
        }

        var allocations = new List<double[]>();
        var results = new List<PolicyResult>();
        void Add(string policy, double? setting, double? risk, double[] allocation)
        {
            allocations.Add(allocation);
            results.Add(Scoring.Score(policy, setting, risk, blocks, allocation, scoredFrom));
        }

        for (var r = 0; r < risks.Count; r++)
        {
            Add("thoras", risks[r], risks[r], thorasAlloc[r]);
        }

        for (var r = 0; r < risks.Count; r++)
        {
            Add("naive", risks[r], risks[r], naiveAlloc[r]);
        }

        for (var v = 0; v < vpas.Length; v++)
        {
            Add("vpa", options.VpaPercentiles[v], null, vpaAlloc[v]);
        }

        Add("static", StaticPeak.DefaultMargin, null, staticAlloc);
        return new SeriesReplay(series.Name, blocks, scoredFrom, upper, allocations, results);
    }

    private static double[] Filled(int n)
    {
        var values = new double[n];
        Array.Fill(values, double.NaN);
        return values;
    }
}

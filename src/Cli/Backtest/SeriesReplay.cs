using Thoras.Cli.Backtest.Baselines;
using Thoras.Domain.Forecasting;

namespace Thoras.Cli.Backtest;

/// <summary>The replay of one series: usage per block and every policy's allocation per block.</summary>
/// <param name="Name">The series name.</param>
/// <param name="Blocks">The downsampled usage.</param>
/// <param name="ScoredFrom">The first block scored: where <c>min_lookback_to_scale</c> is reached.</param>
/// <param name="Allocations">Per policy and setting, the allocation in force at each block (NaN before scoring).</param>
/// <param name="Results">The scores, in the order of <paramref name="Allocations"/>.</param>
public sealed record SeriesReplay(string Name, IReadOnlyList<UsageBlock> Blocks, int ScoredFrom, IReadOnlyList<double[]> Allocations, IReadOnlyList<PolicyResult> Results);

/// <summary>
/// Replays one series block by block through the app's forecaster (<see cref="UsageForecaster"/>: same
/// downsampling, features, retraining cadence and calibration) and through the baselines, suggesting every forecast
/// interval and scoring each block against the suggestion in force.
/// </summary>
public static class SeriesReplayer
{
    /// <summary>Replays <paramref name="series"/> with <paramref name="options"/>.</summary>
    public static SeriesReplay Replay(TraceSeries series, BacktestOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Forecast;
        var blocks = Downsampler.Downsample(series.Samples, settings.Block);
        var n = blocks.Count;
        var used = blocks.Select(b => b.Max).ToArray();
        var interval = settings.IntervalBlocks;
        var scoredFrom = Math.Min(n, Math.Max(2, (int)Math.Ceiling(settings.MinLookback / settings.Block)));

        var risks = options.RiskTargets;
        var forecaster = new UsageForecaster(settings with { RiskTarget = risks[0] }, risks.Skip(1));
        var naive = risks.Select(r => new NaiveForecaster(r)).ToArray();
        var lookbackPeak = used.Take(scoredFrom).DefaultIfEmpty(0).Max();
        var scale = lookbackPeak > 0 ? lookbackPeak : 1;
        var vpas = options.VpaPercentiles
            .Select(p => new VpaRecommender(new VpaSettings { Percentile = p, FirstBucketSize = 1e-3 * scale, MaxValue = 1e3 * scale }))
            .ToArray();
        var staticRequest = StaticPeak.Request(used.Take(scoredFrom));

        var thorasAlloc = risks.Select(_ => Filled(n)).ToArray();
        var naiveAlloc = risks.Select(_ => Filled(n)).ToArray();
        var vpaAlloc = vpas.Select(_ => Filled(n)).ToArray();
        var staticAlloc = Filled(n);

        for (var t = 0; t < n; t++)
        {
            if (t >= scoredFrom && (t - scoredFrom) % interval == 0)
            {
                var until = Math.Min(n, t + interval);
                var forecasts = forecaster.SuggestEach();
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

            forecaster.Observe(blocks[t]);
            foreach (var each in naive)
            {
                each.Observe(used[t]);
            }

            foreach (var vpa in vpas)
            {
                vpa.AddSample(used[t], blocks[t].Start);
            }
        }

        var allocations = new List<double[]>();
        var results = new List<PolicyResult>();
        for (var r = 0; r < risks.Count; r++)
        {
            allocations.Add(thorasAlloc[r]);
            results.Add(Scoring.Score("thoras", risks[r], risks[r], used, thorasAlloc[r], scoredFrom));
        }

        for (var r = 0; r < risks.Count; r++)
        {
            allocations.Add(naiveAlloc[r]);
            results.Add(Scoring.Score("naive", risks[r], risks[r], used, naiveAlloc[r], scoredFrom));
        }

        for (var v = 0; v < vpas.Length; v++)
        {
            allocations.Add(vpaAlloc[v]);
            results.Add(Scoring.Score("vpa", options.VpaPercentiles[v], null, used, vpaAlloc[v], scoredFrom));
        }

        allocations.Add(staticAlloc);
        results.Add(Scoring.Score("static", StaticPeak.DefaultMargin, null, used, staticAlloc, scoredFrom));
        return new SeriesReplay(series.Name, blocks, scoredFrom, allocations, results);
    }

    private static double[] Filled(int n)
    {
        var values = new double[n];
        Array.Fill(values, double.NaN);
        return values;
    }

    private static void Fill(double[] values, int from, int to, double value) => Array.Fill(values, value, from, to - from);
}

using System.Diagnostics;
using System.Globalization;
using Thoras.Domain.Forecasting;

namespace Thoras.Cli.Bench;

/// <summary>
/// <c>thoras bench</c>: the cost per target of one training on 14 days of 5-minute data and of one forecast,
/// as medians over repeated runs on a synthetic daily-seasonal series.
/// </summary>
public static class BenchCommand
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        thoras bench [--runs N]
          --runs N   timed repetitions after one warm-up (default 20)
        thoras bench pass [options]
          one forecast + apply pass over a fleet on Azurite and the sandbox, against its I/O time;
          see 'thoras bench pass --help' and docs/benchmarks.md
        """;

    /// <summary>Runs the benchmark; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var parsed = Arguments.Parse(args, new HashSet<string>());
        var runs = Math.Max(1, (int)parsed.Number("--runs", 20));
        parsed.RejectUnknown();

        var settings = new ForecastSettings();
        var blocks = SyntheticDays(14, settings.Block);
        var withFeatures = new List<double>();
        var train = new List<double>();
        var forecast = new List<double>();
        var loaded = new List<double>();
        var loadOnly = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var forecaster = new UsageForecaster(settings);
            foreach (var block in blocks)
            {
                forecaster.Observe(block);
            }

            var watch = Stopwatch.StartNew();
            forecaster.Predictor.Train(withHoldoutScores: false);
            var firstTraining = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            forecaster.Predictor.Train(withHoldoutScores: false);
            var trained = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            forecaster.Suggest();
            var forecasted = watch.Elapsed.TotalMilliseconds;

            // The steady state of the forecast stage: the saved state loaded over the stored history, then one forecast.
            using var state = new MemoryStream();
            forecaster.SaveState(state);
            state.Position = 0;
            watch.Restart();
            var restored = UsageForecaster.LoadState(state, settings, blocks);
            var restoredIn = watch.Elapsed.TotalMilliseconds;
            restored.Suggest();
            var restoredAndForecast = watch.Elapsed.TotalMilliseconds;
            if (run > 0)
            {
                withFeatures.Add(firstTraining);
                train.Add(trained);
                forecast.Add(forecasted);
                loadOnly.Add(restoredIn);
                loaded.Add(restoredAndForecast);
            }
        }

        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Format(c, "blocks per target: {0} (14 days of 5-minute blocks), runs: {1}", blocks.Count, runs));
        stdout.WriteLine(string.Format(c, "training, features cached   median {0,8:0.0} ms  max {1,8:0.0} ms", Median(train), train.Max()));
        stdout.WriteLine(string.Format(c, "training from a cold history median {0,8:0.0} ms  max {1,8:0.0} ms", Median(withFeatures), withFeatures.Max()));
        stdout.WriteLine(string.Format(c, "forecast                    median {0,8:0.000} ms  max {1,8:0.000} ms", Median(forecast), forecast.Max()));
        stdout.WriteLine(string.Format(c, "load saved state            median {0,8:0.000} ms  max {1,8:0.000} ms", Median(loadOnly), loadOnly.Max()));
        stdout.WriteLine(string.Format(c, "load saved state + forecast median {0,8:0.000} ms  max {1,8:0.000} ms", Median(loaded), loaded.Max()));
        return 0;
    }

    /// <summary>A daily-seasonal series with noise and bursts, fixed seed.</summary>
    public static IReadOnlyList<UsageBlock> SyntheticDays(int days, TimeSpan block)
    {
        var random = new Random(7);
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var count = (int)(TimeSpan.FromDays(days) / block);
        var blocks = new List<UsageBlock>(count);
        for (var i = 0; i < count; i++)
        {
            var at = start + (i * block);
            var daily = 1 + (0.6 * Math.Sin(2 * Math.PI * at.TimeOfDay.TotalDays));
            var burst = random.NextDouble() < 0.02 ? 1.5 : 1;
            var value = daily * burst * (1 + (0.1 * random.NextDouble()));
            blocks.Add(new UsageBlock(at, value, value * 0.8, 5));
        }

        return blocks;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}

using Thoras.Domain.Forecasting;

namespace Thoras.Cli.Backtest;

/// <summary><c>thoras backtest</c>: replays traces through the forecaster and the baselines and reports them side by side.</summary>
public static class BacktestCommand
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        thoras backtest <file.csv|dir>... [options]
          --format table|json        output on stdout (default table)
          --mode balanced|cost_optimized|assurance_optimized|percentile   risk target highlighted (default balanced)
          --percentile-value N       for --mode percentile
          --forecast-blocks 15m      horizon of the predicted peak
          --forecast-interval 5m     how often a suggestion is made
          --buffer N                 forecast_buffer_percentage (default 0)
          --min-lookback 24h         min_lookback_to_scale; scoring starts there for every policy
          --retrain-every 6h         model retraining cadence
          --hysteresis 0.05          keep the suggestion in force when a new one is at most this fraction below it
          --plots DIR                write one plot per series into DIR
          --plot-format png|svg      (default png)
          --max-series N             replay only the first N series
          --parallel N               series replayed at once (default: processor count)
          --no-progress              no progress bar on stderr
        """;

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = Arguments.Parse(args, new HashSet<string> { "--no-progress" });
        var format = parsed.String("--format") ?? "table";
        if (format is not ("table" or "json"))
        {
            throw new CommandLineException($"--format must be table or json, not '{format}'.");
        }

        var mode = ParseMode(parsed.String("--mode") ?? "balanced");
        var percentileValue = parsed.String("--percentile-value") is null ? (double?)null : parsed.Number("--percentile-value", 0);
        var risk = RiskTarget.For(mode, percentileValue);
        var settings = new ForecastSettings
        {
            RiskTarget = risk,
            ForecastHorizon = parsed.Duration("--forecast-blocks", TimeSpan.FromMinutes(15)),
            ForecastInterval = parsed.Duration("--forecast-interval", TimeSpan.FromMinutes(5)),
            BufferPercentage = parsed.Number("--buffer", 0),
            MinLookback = parsed.Duration("--min-lookback", TimeSpan.FromHours(24)),
            RetrainEvery = parsed.Duration("--retrain-every", TimeSpan.FromHours(6)),
            HysteresisBand = parsed.Number("--hysteresis", new ForecastSettings().HysteresisBand),
        };
        settings.Validate();
        var plots = parsed.String("--plots");
        var plotFormat = parsed.String("--plot-format") ?? "png";
        if (plotFormat is not ("png" or "svg"))
        {
            throw new CommandLineException($"--plot-format must be png or svg, not '{plotFormat}'.");
        }

        var maxSeries = (int)parsed.Number("--max-series", int.MaxValue);
        var parallel = (int)parsed.Number("--parallel", Environment.ProcessorCount);
        var progress = !parsed.Flag("--no-progress");
        parsed.RejectUnknown();
        if (parsed.Positional.Count == 0)
        {
            throw new CommandLineException("Give at least one trace file or directory.");
        }

        var riskTargets = new BacktestOptions().RiskTargets.Append(risk).Distinct().Order().ToArray();
        var options = new BacktestOptions { Forecast = settings, RiskTargets = riskTargets, Parallelism = Math.Max(1, parallel) };
        var series = TraceReader.ReadAll(parsed.Positional).Take(maxSeries).ToArray();
        if (plots is not null)
        {
            Directory.CreateDirectory(plots);
        }

        var bar = progress ? new ProgressBar(stderr, series.Length) : null;
        var report = Run(series, options, replay =>
        {
            if (plots is not null)
            {
                SeriesPlot.Save(replay, risk, Path.Combine(plots, FileName(replay.Name) + "." + plotFormat));
            }

            bar?.Advance(replay.Name);
        });

        if (format == "json")
        {
            ReportWriter.WriteJson(report, stdout);
        }
        else
        {
            ReportWriter.WriteTable(report, risk, stdout);
        }

        return 0;
    }

    /// <summary>Replays every series (in parallel) and summarises; <paramref name="onReplayed"/> sees each replay.</summary>
    public static BacktestReport Run(IReadOnlyList<TraceSeries> series, BacktestOptions options, Action<SeriesReplay> onReplayed)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onReplayed);
        var results = new SeriesResults[series.Count];
        Parallel.For(0, series.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism }, i =>
        {
            var replay = SeriesReplayer.Replay(series[i], options);
            results[i] = new SeriesResults(replay.Name, replay.Blocks.Count, replay.Results);
            onReplayed(replay);
        });
        return new BacktestReport(results, Frontier.Summarise(results, options.RiskTargets));
    }

    /// <summary>Parses a model mode as written in the AIScaleTarget spec.</summary>
    public static ModelMode ParseMode(string text) => text switch
    {
        "balanced" => ModelMode.Balanced,
        "cost_optimized" => ModelMode.CostOptimized,
        "assurance_optimized" => ModelMode.AssuranceOptimized,
        "percentile" => ModelMode.Percentile,
        _ => throw new CommandLineException($"--mode must be balanced, cost_optimized, assurance_optimized or percentile, not '{text}'."),
    };

    private static string FileName(string seriesName) =>
        string.Concat(seriesName.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_'));
}

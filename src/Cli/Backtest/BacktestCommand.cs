using System.Globalization;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Targets;

namespace Thoras.Cli.Backtest;

/// <summary><c>thoras backtest</c>: replays traces through the recommender and the baselines and reports them side by side.</summary>
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
          --scale-up 10%|N           scaling_behavior.scale_up: least raise, percent of the bound or absolute (default 10%)
          --scale-down 7%|N          scaling_behavior.scale_down: least lowering worth a change (default 7%)
          --lower-after 30m          how long a lower bound must have lasted before it is taken (default 30m)
          --max-changes-per-day N    scaling_behavior.max_changes_per_day: the change budget (default 48)
          --upper [PATH=]N           the most a series can use, like a spec upperbound: for every series, or for
                                     the series of the file PATH or of the files under the directory PATH (repeatable)
          --plots DIR                write one plot per series and summary.png into DIR
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

        var modeText = parsed.String("--mode") ?? "balanced";
        if (!ModelModes.TryParse(modeText, out var mode))
        {
            throw new CommandLineException($"--mode must be {ModelModes.AllowedText}, not '{modeText}'.");
        }

        var percentileValue = parsed.String("--percentile-value") is null ? (double?)null : parsed.Number("--percentile-value", 0);
        var risk = RiskTarget.For(mode, percentileValue);
        var defaults = ChangeBehavior.Default;
        var settings = new ForecastSettings
        {
            RiskTarget = risk,
            ForecastHorizon = parsed.Duration("--forecast-blocks", TimeSpan.FromMinutes(15)),
            ForecastInterval = parsed.Duration("--forecast-interval", TimeSpan.FromMinutes(5)),
            BufferPercentage = parsed.Number("--buffer", 0),
            MinLookback = parsed.Duration("--min-lookback", TimeSpan.FromHours(24)),
            RetrainEvery = parsed.Duration("--retrain-every", TimeSpan.FromHours(6)),
            Change = new ChangeBehavior
            {
                RaiseStep = Step(parsed, "--scale-up", defaults.RaiseStep),
                LowerStep = Step(parsed, "--scale-down", defaults.LowerStep),
                LowerAfter = parsed.Duration("--lower-after", defaults.LowerAfter),
                BudgetPerDay = (int)parsed.Number("--max-changes-per-day", defaults.BudgetPerDay),
            },
        };
        settings.Validate();
        var (upper, upperByPath) = Uppers(parsed.All("--upper"));
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
        var options = new BacktestOptions { Forecast = settings, RiskTargets = riskTargets, Parallelism = Math.Max(1, parallel), Upper = upper, UpperByPath = upperByPath };
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

        if (plots is not null)
        {
            SummaryPlot.Save(report, Path.Combine(plots, "summary." + plotFormat));
        }

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
            results[i] = new SeriesResults(replay.Name, replay.Blocks.Count, replay.Gaps, replay.Upper, replay.Results);
            onReplayed(replay);
        });
        return new BacktestReport(results, Frontier.Summarise(results, options.RiskTargets));
    }

    /// <summary>Parses a change step: <c>10%</c> is a percentage of the bound in force, a bare number an absolute amount.</summary>
    private static ChangeStep Step(Arguments parsed, string name, ChangeStep fallback)
    {
        if (parsed.String(name) is not { } text)
        {
            return fallback;
        }

        var percent = text.EndsWith('%');
        if (!double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || !double.IsFinite(amount) || amount < 0)
        {
            throw new CommandLineException($"Option {name}: '{text}' is not a percentage like 10% or a non-negative amount.");
        }

        return percent ? ChangeStep.Percent(amount) : ChangeStep.Absolute(amount);
    }

    /// <summary>Parses the <c>--upper</c> values: a bare number is the default, <c>PATH=N</c> one file's or directory's.</summary>
    private static (double? Default, Dictionary<string, double> ByPath) Uppers(IReadOnlyList<string> values)
    {
        double? fallback = null;
        var byPath = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var split = value.LastIndexOf('=');
            var number = split < 0 ? value : value[(split + 1)..];
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound) || !double.IsFinite(bound) || bound <= 0)
            {
                throw new CommandLineException($"Option --upper: '{value}' is not a positive number or PATH=N.");
            }

            if (split < 0)
            {
                fallback = bound;
            }
            else
            {
                byPath[value[..split]] = bound;
            }
        }

        return (fallback, byPath);
    }

    private static string FileName(string seriesName) =>
        string.Concat(seriesName.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_'));
}

using Thoras.Cli;
using Thoras.Cli.Backtest;
using Thoras.Cli.Bench;

const string usage = """
    usage: thoras <command> [options]
    commands:
      backtest   replay usage traces through the forecaster and the baselines
      bench      time training and forecasting per target on 14 days of 5-minute data
    run 'thoras <command> --help' for a command's options.
    """;

if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
{
    Console.Out.WriteLine(usage);
    return args.Length == 0 ? 2 : 0;
}

var rest = args.Skip(1).ToArray();
try
{
    return args[0] switch
    {
        "backtest" when rest.Contains("--help") => Help(BacktestCommand.Usage),
        "backtest" => BacktestCommand.Run(rest, Console.Out, Console.Error),
        "bench" when rest.Contains("--help") => Help(BenchCommand.Usage),
        "bench" => BenchCommand.Run(rest, Console.Out),
        _ => Fail($"unknown command '{args[0]}'.\n{usage}"),
    };
}
catch (Exception e) when (e is CommandLineException or TraceFormatException or ArgumentException or IOException)
{
    return Fail(e.Message);
}

static int Help(string text)
{
    Console.Out.WriteLine(text);
    return 0;
}

static int Fail(string message)
{
    Console.Error.WriteLine($"thoras: {message}");
    return 2;
}

using Thoras.Cli;
using Thoras.Cli.Backtest;
using Thoras.Cli.Bench;
using Thoras.Cli.Operator;
using Thoras.Cli.Serve;

const string usage = """
    usage: thoras <command> [options]
    commands:
      serve      run the app locally: Azurite, the sandbox cluster (or a kubeconfig) and every function
      backtest   replay usage traces through the forecaster and the baselines
      bench      time training and forecasting per target on 14 days of 5-minute data
      bench pass time one forecast + apply pass over a fleet (Azurite + sandbox) against its I/O time
      status, pause, resume, mode, unenroll, windows, audit
                 operate a running app over its HTTP API (also as 'kubectl thoras ...'); see 'thoras status --help'
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
        "bench" when rest.FirstOrDefault() == "pass" && rest.Contains("--help") => Help(PassBenchCommand.Usage),
        "bench" when rest.FirstOrDefault() == "pass" => await PassBenchCommand.RunAsync(rest[1..], Console.Out, Console.Error, CancellationToken.None),
        "bench" when rest.Contains("--help") => Help(BenchCommand.Usage),
        "bench" => BenchCommand.Run(rest, Console.Out),
        "serve" when rest.Contains("--help") => Help(ServeOptions.Usage),
        "serve" => await Serve(rest),
        var command when OperatorCommand.Commands.Contains(command) => await OperatorCommand.RunAsync(command, rest, Console.Out, Console.Error, CancellationToken.None),
        _ => Fail($"unknown command '{args[0]}'.\n{usage}"),
    };
}
catch (Exception e) when (e is CommandLineException or TraceFormatException or ArgumentException or IOException)
{
    return Fail(e.Message);
}

// Ctrl-C, SIGINT, SIGTERM, SIGHUP and SIGQUIT stop serve cleanly: the app, then the sandbox and Azurite.
static async Task<int> Serve(string[] options)
{
    using var stop = new CancellationTokenSource();
    using var signals = StopSignals.Register(stop);
    return await ServeCommand.RunAsync(options, Console.Out, stop.Token);
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

using System.Globalization;

namespace Thoras.Cli.Serve;

/// <summary>The options of <c>thoras serve</c>, parsed from its command line.</summary>
public sealed class ServeOptions
{
    public const string Usage = """
        usage: thoras serve [options]
        Runs the app locally: every HTTP function on its route, every timer on its schedule, every queue function on its queue.
          --port N             HTTP port on 127.0.0.1 (default 7071; 0 picks a free port)
          --storage CS         use this storage connection string instead of starting Azurite
          --kubeconfig PATH    use a real cluster from this kubeconfig instead of the sandbox
          --context NAME       the kubeconfig context (default: the current context)
          --sandbox-port N     the sandbox's port on 127.0.0.1 (default 0: a free port)
          --speed-up X         how much faster than real time the app's clock and the sandbox run (default 20;
                               1 runs in real time; with a real cluster the app's clock is always real)
          --workers N          queue workers per queue function, standing in for Functions instances (default 1)
          --no-demo            do not seed the demo namespace into the sandbox
          --state-dir PATH     where the key, kubeconfig, sandbox objects and Azurite data live (default .thoras)
          --fresh              start the sandbox and the storage anew (forget both; the key stays)
          --verbose            log every step, target and request (default: one summary line per tick)
          --memory-log S       log RSS and the GC's managed heap every S seconds of real time (the soak reads it)
        """;

    public int Port { get; private set; } = 7071;

    public string? StorageConnectionString { get; private set; }

    public string? KubeconfigPath { get; private set; }

    public string? Context { get; private set; }

    public int SandboxPort { get; private set; }

    public double SpeedUp { get; private set; } = 20;

    public bool Demo { get; private set; } = true;

    public int Workers { get; private set; } = 1;

    public string StateDirectory { get; private set; } = ".thoras";

    public bool Fresh { get; private set; }

    public bool Verbose { get; private set; }

    /// <summary>How often (real time) a memory line is logged; null: never.</summary>
    public TimeSpan? MemoryLogInterval { get; private set; }

    public bool UseSandbox => KubeconfigPath is null;

    public static ServeOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ServeOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new CommandLineException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--port": options.Port = ParsePort(Value(), "--port"); break;
                case "--sandbox-port": options.SandboxPort = ParsePort(Value(), "--sandbox-port"); break;
                case "--storage": options.StorageConnectionString = Value(); break;
                case "--kubeconfig": options.KubeconfigPath = Value(); break;
                case "--context": options.Context = Value(); break;
                case "--no-demo": options.Demo = false; break;
                case "--workers": options.Workers = ParseWorkers(Value()); break;
                case "--verbose": options.Verbose = true; break;
                case "--state-dir": options.StateDirectory = Value(); break;
                case "--fresh": options.Fresh = true; break;
                case "--memory-log":
                    var seconds = Value();
                    options.MemoryLogInterval = int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is >= 1 and <= 3600
                        ? TimeSpan.FromSeconds(s)
                        : throw new CommandLineException($"--memory-log must be a whole number of seconds from 1 to 3600, not '{seconds}'.");
                    break;
                case "--speed-up":
                    var text = Value();
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var speedUp) || speedUp is <= 0 or > 100_000)
                    {
                        throw new CommandLineException($"--speed-up must be a number between 0 and 100000, not '{text}'.");
                    }

                    options.SpeedUp = speedUp;
                    break;
                default: throw new CommandLineException($"unknown option '{args[i]}' for serve.\n{Usage}");
            }
        }

        if (options.Context is not null && options.KubeconfigPath is null)
        {
            throw new CommandLineException("--context needs --kubeconfig.");
        }

        return options;
    }

    private static int ParseWorkers(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var workers) && workers is >= 1 and <= 64
            ? workers
            : throw new CommandLineException($"--workers must be a whole number from 1 to 64, not '{text}'.");

    private static int ParsePort(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new CommandLineException($"{option} must be a port number (0-65535), not '{text}'.");
}

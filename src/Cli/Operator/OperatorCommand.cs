using System.Globalization;
using System.Text.Json;

namespace Thoras.Cli.Operator;

/// <summary>
/// The operator commands (<c>thoras status|pause|resume|mode|unenroll|windows|audit</c>, also <c>kubectl thoras ...</c>):
/// each one call (or a few) to the app's HTTP API, printed for people or, with <c>--output json</c>, as the API's
/// JSON for scripts. Exit codes: 0 done, 1 the app refused or failed (its problem on stderr), 2 bad usage,
/// 3 the app cannot be reached.
/// </summary>
public static class OperatorCommand
{
    /// <summary>The commands this class runs.</summary>
    public static readonly IReadOnlySet<string> Commands = new HashSet<string>(StringComparer.Ordinal) { "status", "pause", "resume", "mode", "unenroll", "windows", "audit" };

    public const string Usage = """
        usage: thoras <command> [options]            (also: kubectl thoras <command> [options])
          status                                     pause state, the targets a pause affects, every target
          pause --reason TEXT                        pause scaling system-wide
          resume [--force] [--reason TEXT]           resume (--force also clears windows and the app setting)
          mode NAMESPACE/NAME DIRECTION MODE         set vertical|horizontal to autonomous|recommendation|observation
          unenroll NAMESPACE/NAME                    revert the workload and delete the target's state
          windows [list]                             list maintenance windows
          windows create --cron EXPR --duration D --time-zone TZ --reason TEXT [--id ID] [--disabled]
          windows delete ID
          audit [--target NS/NAME] [--actor A] [--action X] [--since T] [--until T] [--limit N] [--all]
                                                     the audit log, newest first (--since/--until: RFC 3339 or 30m, 6h, 7d ago;
                                                     --all reads every page)
        options of every command:
          --url URL          the app's API (default: THORAS_URL, .thoras/url of thoras serve, or http://127.0.0.1:7071/api)
          --key KEY          the function key (default: THORAS_FUNCTION_KEY or .thoras/function-key)
          --state-dir PATH   where thoras serve keeps url and function-key (default: the nearest .thoras folder)
          --output text|json text for people (default), json for scripts (the API's answer as it is)
          --actor NAME       who to record in the audit log (for audit: only records of this actor)
          --timeout D        how long to wait for the app (default 60s)
        exit codes: 0 done, 1 the app refused or failed, 2 bad usage, 3 the app cannot be reached
        """;

    // The options each command takes, besides those of every command; any other is refused as a typo.
    private static readonly Dictionary<string, string[]> CommandOptions = new(StringComparer.Ordinal)
    {
        ["status"] = [],
        ["pause"] = ["--reason"],
        ["resume"] = ["--force", "--reason"],
        ["mode"] = ["--reason"],
        ["unenroll"] = ["--reason"],
        ["windows"] = ["--cron", "--duration", "--time-zone", "--reason", "--id", "--disabled"],
        ["audit"] = ["--target", "--action", "--since", "--until", "--limit", "--all"],
    };

    private static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "--force", "--all", "--disabled", "--help" };

    public static async Task<int> RunAsync(string command, IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        Arguments parsed;
        OperatorRun run;
        try
        {
            parsed = Arguments.Parse(args, Flags);
            if (parsed.Flag("--help"))
            {
                stdout.WriteLine(Usage);
                return 0;
            }

            var json = (parsed.String("--output") ?? "text") switch
            {
                "json" => true,
                "text" => false,
                var other => throw new CommandLineException($"--output must be text or json, not '{other}'."),
            };
            var connection = ApiConnection.Resolve(parsed.String("--url"), parsed.String("--key"), parsed.String("--state-dir"), parsed.Duration("--timeout", TimeSpan.FromSeconds(60)));
            run = new OperatorRun(connection, json, parsed.String("--actor"), stdout, stderr);
        }
        catch (CommandLineException ex)
        {
            stderr.WriteLine($"thoras {command}: {ex.Message}");
            return 2;
        }

        using (run.Connection)
        {
            try
            {
                return command switch
                {
                    "status" => await Done("status", parsed, () => run.StatusAsync(cancellationToken)),
                    "pause" => await Done("pause", parsed, () => run.PauseAsync(Required(parsed, "--reason"), cancellationToken)),
                    "resume" => await Done("resume", parsed, () => run.ResumeAsync(parsed.Flag("--force"), parsed.String("--reason"), cancellationToken)),
                    "mode" => await Done("mode", parsed, () => run.ModeAsync(Target(Positional(parsed, 0, "NAMESPACE/NAME")), Positional(parsed, 1, "DIRECTION"), Positional(parsed, 2, "MODE"), parsed.String("--reason"), cancellationToken)),
                    "unenroll" => await Done("unenroll", parsed, () => run.UnenrollAsync(Target(Positional(parsed, 0, "NAMESPACE/NAME")), parsed.String("--reason"), cancellationToken)),
                    "windows" => await WindowsAsync(parsed, run, cancellationToken),
                    "audit" => await Done("audit", parsed, () => run.AuditAsync(AuditQuery(parsed), parsed.Flag("--all"), cancellationToken)),
                    _ => throw new CommandLineException($"unknown command '{command}'."),
                };
            }
            catch (CommandLineException ex)
            {
                stderr.WriteLine($"thoras {command}: {ex.Message}");
                return 2;
            }
            catch (ApiUnreachableException ex)
            {
                stderr.WriteLine($"thoras {command}: {ex.Message}");
                return 3;
            }
        }
    }

    private static Task<int> WindowsAsync(Arguments parsed, OperatorRun run, CancellationToken cancellationToken) =>
        (parsed.Positional.Count == 0 ? "list" : parsed.Positional[0]) switch
        {
            "list" => Done("windows", parsed, () => run.WindowsAsync(cancellationToken)),
            "create" => Done("windows", parsed, () => run.CreateWindowAsync(
                new
                {
                    cron = Required(parsed, "--cron"),
                    duration = Required(parsed, "--duration"),
                    timeZone = Required(parsed, "--time-zone"),
                    reason = Required(parsed, "--reason"),
                    enabled = !parsed.Flag("--disabled"),
                    id = parsed.String("--id"),
                },
                cancellationToken)),
            "delete" => Done("windows", parsed, () => run.DeleteWindowAsync(Positional(parsed, 1, "ID"), cancellationToken)),
            var other => throw new CommandLineException($"windows takes list, create or delete, not '{other}'."),
        };

    /// <summary>Refuses options the command does not take before anything is sent, then runs it.</summary>
    private static Task<int> Done(string name, Arguments parsed, Func<Task<int>> command)
    {
        foreach (var option in CommandOptions[name])
            parsed.String(option);
        parsed.RejectUnknown();
        return command();
    }

    private static string Required(Arguments parsed, string option) =>
        parsed.String(option) is { Length: > 0 } value ? value : throw new CommandLineException($"{option} is required.");

    private static string Positional(Arguments parsed, int index, string name) =>
        parsed.Positional.Count > index ? parsed.Positional[index] : throw new CommandLineException($"{name} is required.");

    private static (string Namespace, string Name) Target(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < text.Length - 1 ? (text[..slash], text[(slash + 1)..]) : throw new CommandLineException($"'{text}' is not NAMESPACE/NAME.");
    }

    private static Dictionary<string, string> AuditQuery(Arguments parsed)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (option, parameter) in new[] { ("--target", "target"), ("--actor", "actor"), ("--action", "action"), ("--limit", "limit") })
        {
            if (parsed.String(option) is { } value)
                query[parameter] = value;
        }

        foreach (var (option, parameter) in new[] { ("--since", "since"), ("--until", "until") })
        {
            if (parsed.String(option) is { } value)
                query[parameter] = Time(option, value);
        }

        return query;
    }

    /// <summary>An RFC 3339 time as given, or a duration ago (<c>30m</c>, <c>6h</c>, <c>7d</c>) as RFC 3339.</summary>
    private static string Time(string option, string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && value.Contains('T', StringComparison.Ordinal)
            ? value
            : (DateTimeOffset.UtcNow - Arguments.ParseDuration(option, value)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The JSON body of a successful answer (an empty object for 204).</summary>
    internal static JsonElement Body(ApiAnswer answer) => answer.Json ?? JsonSerializer.Deserialize<JsonElement>("{}");
}

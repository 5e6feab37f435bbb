using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Thoras.Cli.LocalHost;
using Thoras.Domain.Apply;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Suggestions;
using Thoras.Infrastructure.Storage.Emulator;
using Thoras.Sandbox;

namespace Thoras.Cli.Serve;

/// <summary>
/// <c>thoras serve</c>: the whole app on one machine. Starts Azurite (or uses a connection string), the
/// sandbox cluster with the app's Helm chart and a demo namespace (or a real cluster from a kubeconfig),
/// then hosts every function on its route and schedule until Ctrl-C, and stops everything it started.
/// </summary>
public static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var options = ServeOptions.Parse(args);
        var state = Directory.CreateDirectory(options.StateDirectory).FullName;
        if (options.Fresh)
            ServeState.Reset(state);
        var root = AzuriteProcess.FindRepositoryRoot();
        using var loggerFactory = LoggerFactory.Create(b => ConfigureLogging(b, options.Verbose));
        var log = loggerFactory.CreateLogger("thoras.serve");

        var azuriteOptions = new AzuriteOptions { RepositoryRoot = root, InMemory = false, DataDirectory = Directory.CreateDirectory(ServeState.AzuriteDirectory(state)).FullName };
        var azurite = options.StorageConnectionString is null ? await AzuriteProcess.StartAsync(azuriteOptions, cancellationToken) : null;
        await using var supervisor = azurite is null ? null : new AzuriteSupervisor(azurite, azuriteOptions, log);
        var storage = options.StorageConnectionString ?? azurite!.ConnectionString;
        log.LogInformation("Storage: {Storage}", azurite is null ? "the given connection string" : $"Azurite on 127.0.0.1:{azurite.TablePort} (tables)");

        var key = FunctionKey.LoadOrCreate(Path.Combine(state, "function-key"));
        var admissionSecret = AdmissionSecret.LoadOrCreate(Path.Combine(state, "admission-secret"));
        var appBase = new Uri($"http://127.0.0.1:{options.Port}");
        var clock = new ScaledTimeProvider(options.SpeedUp, start: ServeState.ClockStart(state, options.SpeedUp, TimeProvider.System));

        await using var sandbox = options.UseSandbox
            ? await SandboxServer.StartAsync(new SandboxOptions
            {
                Port = options.SandboxPort,
                TimeProvider = clock,
                StateFile = ServeState.SandboxFile(state),
                TracesDirectory = Path.Combine(AppContext.BaseDirectory, "Demo", "traces"),
                AdmissionWebhookUrl = options.Port == 0 ? null : new Uri(appBase, $"/api/admission/pods/{admissionSecret}"),
                LoggerFactory = loggerFactory,
            }, cancellationToken)
            : null;

        var kubeconfig = options.KubeconfigPath;
        if (sandbox is not null)
        {
            kubeconfig = Path.Combine(state, "sandbox.kubeconfig");
            sandbox.WriteKubeconfig(kubeconfig);
            await ChartInstaller.InstallAsync(root, kubeconfig, log, cancellationToken);
        }

        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = storage,
            ["Kubernetes:Mode"] = sandbox is null ? "kubeconfig" : "url",
            ["Kubernetes:ClusterUrl"] = sandbox?.BaseUrl.ToString(),
            ["Kubernetes:KubeconfigPath"] = sandbox is null ? kubeconfig : null,
            ["Kubernetes:Context"] = options.Context,
            ["Admission:PathSecret"] = admissionSecret,
            ["Dashboard:ClusterName"] = sandbox is null ? null : "sandbox",
            // The per-target time budgets guard against slow calls and long trainings, which take real time; on the
            // sped-up clock they would shrink by the speed-up (20 s to 1 s at 20x), so they are stretched to match.
            ["Forecast:TargetTimeBudget"] = sandbox is null ? null : Stretched(new ForecastOptions().TargetTimeBudget, options.SpeedUp),
            ["Apply:TargetTimeBudget"] = sandbox is null ? null : Stretched(new ApplyOptions().TargetTimeBudget, options.SpeedUp),
            // Metrics leave every 10 s instead of the SDK's 60 s, so a local session sees them at once; the
            // standard variable, read after these settings, overrides it.
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "10000",
        };

        var app = LocalFunctionHost.Build(
            new LocalHostOptions { Port = options.Port, FunctionKeyPath = Path.Combine(state, "function-key"), TimeProvider = sandbox is null ? null : clock, QueueWorkers = options.Workers },
            [],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Configuration.AddEnvironmentVariables();
                ConfigureLogging(builder.Logging.ClearProviders(), options.Verbose).AddProvider(new TickSummary());
            });
        await using (app)
        {
            await app.StartAsync(cancellationToken);

            // Seeded once the app listens, so the demo's first pods already pass the admission webhook.
            if (sandbox is not null && options.Demo && !sandbox.Restored)
            {
                await sandbox.Seed.ApplyFileAsync(Path.Combine(AppContext.BaseDirectory, "Demo", "demo.yaml"), cancellationToken);
                log.LogInformation("Seeded the demo namespace: workloads web, api, worker with their HPAs and AIScaleTargets");
            }

            // The operator CLI (thoras status, kubectl thoras ...) finds the app here, beside the function key.
            await File.WriteAllTextAsync(Path.Combine(state, "url"), new Uri(LocalFunctionHost.BaseAddress(app), "api").ToString(), cancellationToken);
            PrintSummary(stdout, LocalFunctionHost.BaseAddress(app), key.Value, Path.Combine(state, "function-key"), sandbox, kubeconfig);
            ServeBanner.PrintTools(stdout, root, options.Verbose);
            using var stopMemoryLog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var memoryLog = options.MemoryLogInterval is { } every
                ? MemoryReport.RunAsync(loggerFactory.CreateLogger("thoras.serve.memory"), every, stopMemoryLog.Token)
                : Task.CompletedTask;
            var failure = await WaitForStopAsync(supervisor, cancellationToken);
            await stopMemoryLog.CancelAsync();
            await memoryLog;
            if (failure is null)
                log.LogInformation("Stopping: the app, then the sandbox and Azurite");
            else
                log.LogCritical("Stopping: {Failure}", failure);

            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await app.StopAsync(stopping.Token);
            if (failure is not null)
            {
                stdout.WriteLine($"thoras serve: {failure}");
                return 1;
            }
        }

        return 0;
    }

    /// <summary>Until Ctrl-C or SIGTERM (null), or until Azurite died for good (why).</summary>
    private static async Task<string?> WaitForStopAsync(AzuriteSupervisor? supervisor, CancellationToken cancellationToken)
    {
        if (supervisor is not null)
            return await supervisor.SuperviseAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }

        return null;
    }

    private static string Stretched(TimeSpan budget, double speedUp) =>
        (budget * speedUp).ToString("c", CultureInfo.InvariantCulture);

    /// <summary>
    /// One line per event; per-request logs of the web servers only when something goes wrong. By default the app's
    /// own detail is left out too: the console shows start-up, one summary line per tick, warnings and errors.
    /// </summary>
    private static ILoggingBuilder ConfigureLogging(ILoggingBuilder logging, bool verbose)
    {
        logging.AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss "; })
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        return verbose
            ? logging.AddFilter<ConsoleLoggerProvider>("Thoras", LogLevel.Debug)
            : logging.AddFilter<ConsoleLoggerProvider>("Thoras", LogLevel.Warning)
                .AddFilter<ConsoleLoggerProvider>("thoras.serve", LogLevel.Information)
                .AddFilter<ConsoleLoggerProvider>("Thoras.Cli.LocalHost.FunctionInvoker", LogLevel.Information);
    }

    private static void PrintSummary(TextWriter stdout, Uri url, string key, string keyPath, SandboxServer? sandbox, string? kubeconfig)
    {
        var api = url.ToString().TrimEnd('/');
        stdout.WriteLine();
        stdout.WriteLine($"Thoras Functions is running at {api}/api  (health: {api}/api/health)");
        stdout.WriteLine($"Dashboard: {api}/api/dashboard/  (sign in with the function key)");
        stdout.WriteLine($"Function key: {key}   (also in {keyPath})");
        if (sandbox is not null)
        {
            stdout.WriteLine($"Sandbox cluster: {sandbox.BaseUrl}   watch it with the real kubectl:");
            stdout.WriteLine($"  export KUBECONFIG={Path.GetFullPath(kubeconfig!)}");
            stdout.WriteLine("  kubectl get ast -A; kubectl get pods -n demo");
        }
        else
        {
            stdout.WriteLine($"Cluster: from {kubeconfig}");
        }

        stdout.WriteLine("Try:");
        stdout.WriteLine($"  curl -s -H \"x-functions-key: {key}\" {api}/api/system/pause");
        stdout.WriteLine($"  curl -s -X POST -H \"x-functions-key: {key}\" -H \"Content-Type: application/json\" -d '{{\"reason\":\"demo\"}}' {api}/api/system/pause");
        stdout.WriteLine($"  curl -s -X PUT -H \"x-functions-key: {key}\" -H \"Content-Type: application/json\" -d '{{\"direction\":\"vertical\",\"mode\":\"recommendation\"}}' {api}/api/targets/demo/web/mode");
    }
}

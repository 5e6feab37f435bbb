using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
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
        using var loggerFactory = LoggerFactory.Create(b => ConfigureLogging(b));
        var log = loggerFactory.CreateLogger("thoras.serve");

        await using var azurite = options.StorageConnectionString is null
            ? await AzuriteProcess.StartAsync(new AzuriteOptions { RepositoryRoot = root, InMemory = false, DataDirectory = Directory.CreateDirectory(ServeState.AzuriteDirectory(state)).FullName }, cancellationToken)
            : null;
        var storage = options.StorageConnectionString ?? azurite!.ConnectionString;
        log.LogInformation("Storage: {Storage}", azurite is null ? "the given connection string" : $"Azurite on 127.0.0.1:{azurite.TablePort} (tables)");

        var key = FunctionKey.LoadOrCreate(Path.Combine(state, "function-key"));
        var admissionSecret = key.Value.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
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
        };

        var app = LocalFunctionHost.Build(
            new LocalHostOptions { Port = options.Port, FunctionKeyPath = Path.Combine(state, "function-key"), TimeProvider = sandbox is null ? null : clock },
            [],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Configuration.AddEnvironmentVariables();
                ConfigureLogging(builder.Logging.ClearProviders());
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

            PrintSummary(stdout, LocalFunctionHost.BaseAddress(app), key.Value, Path.Combine(state, "function-key"), sandbox, kubeconfig);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                log.LogInformation("Stopping: the app, then the sandbox and Azurite");
            }

            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await app.StopAsync(stopping.Token);
        }

        return 0;
    }

    private static string Stretched(TimeSpan budget, double speedUp) =>
        (budget * speedUp).ToString("c", CultureInfo.InvariantCulture);

    /// <summary>One line per event; per-request logs of the web servers only when something goes wrong.</summary>
    private static void ConfigureLogging(ILoggingBuilder logging) =>
        logging.AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss "; })
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

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
        stdout.WriteLine("Press Ctrl-C to stop; Azurite and the sandbox stop with the app.");
        stdout.WriteLine();
        stdout.Flush();
    }
}

using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Thoras.Cli.Serve;

/// <summary>
/// Installs the app's Helm chart (<c>infra/k8s/chart</c>) into a cluster the way a user would:
/// <c>helm template</c> piped to <c>kubectl apply</c>, with the real tools from <c>.tools/</c>.
/// </summary>
public static class ChartInstaller
{
    public static async Task InstallAsync(string repositoryRoot, string kubeconfig, ILogger log, CancellationToken cancellationToken)
    {
        var chart = Path.Combine(repositoryRoot, "infra", "k8s", "chart");
        if (!File.Exists(Path.Combine(chart, "Chart.yaml")))
        {
            throw new FileNotFoundException($"The app's Helm chart was not found at '{chart}'.", chart);
        }

        var tools = Environment.GetEnvironmentVariable("THORAS_TOOLS_DIR") is { Length: > 0 } fromEnvironment ? fromEnvironment : Path.Combine(repositoryRoot, ".tools");
        var helm = Path.Combine(tools, "helm");
        var kubectl = Path.Combine(tools, "kubectl");
        if (!File.Exists(helm) || !File.Exists(kubectl))
        {
            throw new FileNotFoundException($"helm and kubectl were not found in '{tools}'; run ./build.sh tools.");
        }

        var manifests = await RunAsync(helm, ["template", "thoras", chart, "--namespace", "thoras", "--include-crds"], null, cancellationToken);
        await RunAsync(kubectl, ["--kubeconfig", kubeconfig, "apply", "-f", "-"], manifests, cancellationToken);
        log.LogInformation("Installed the Helm chart {Chart} into the sandbox", chart);
    }

    private static async Task<string> RunAsync(string tool, IEnumerable<string> args, string? input, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {tool}.");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(tool)} {string.Join(' ', info.ArgumentList)} failed ({process.ExitCode}): {await stderr}");
        }

        return await stdout;
    }
}

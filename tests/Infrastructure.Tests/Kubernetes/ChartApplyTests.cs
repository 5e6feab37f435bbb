using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Thoras.Domain.Targets;
using Thoras.Infrastructure.Kubernetes;
using Xunit;

namespace Thoras.Infrastructure.Tests.Kubernetes;

/// <summary>
/// The chart and the samples as a user installs them: <c>helm template</c> and the real <c>kubectl apply</c>
/// against the sandbox, then <c>kubectl get ast -A</c>.
/// </summary>
public sealed class ChartApplyTests : IClassFixture<SandboxClusterFixture>, IDisposable
{
    private readonly SandboxClusterFixture _cluster;
    private readonly string _home;
    private readonly string _kubeconfig;

    public ChartApplyTests(SandboxClusterFixture cluster)
    {
        _cluster = cluster;
        _home = Directory.CreateTempSubdirectory("thoras-chart-").FullName;
        _kubeconfig = Path.Combine(_home, "config");
        cluster.Sandbox.WriteKubeconfig(_kubeconfig);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task Apply_RenderedChartAndEverySample_KubectlListsTheTargetsWithTheirModes()
    {
        var rendered = Path.Combine(_home, "chart.yaml");
        await File.WriteAllTextAsync(rendered, await RunOkAsync(RepositoryFiles.Tool("helm"),
            "template", "thoras", RepositoryFiles.Chart, "--namespace", "thoras", "--include-crds",
            "--set", "webhook.enabled=true", "--set", "webhook.host=127.0.0.1:9", "--set", "webhook.secret=chart-test-secret-0123"));

        await KubectlOkAsync("apply", "-f", rendered);
        await KubectlOkAsync("apply", "-f", RepositoryFiles.Samples);
        var table = await KubectlOkAsync("get", "ast", "-A");

        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Columns).ToList();
        Assert.Equal(["NAMESPACE", "NAME", "MODEL MODE", "HORIZONTAL MODE", "VERTICAL MODE", "READY", "SCALING", "REASON", "SUGGESTED", "APPLIED", "AGE"], rows[0]);
        Assert.Equal(
            [
                ["thoras-demo", "api", "assurance_optimized", "recommendation", "<none>"],
                ["thoras-demo", "cache", "cost_optimized", "<none>", "rec"],
                ["thoras-demo", "web", "balanced", "recommendation", "autonomous"],
            ],
            rows.Skip(1).Where(r => r[0] == "thoras-demo").Select(r => r.Take(5).ToArray()).OrderBy(r => r[1], StringComparer.Ordinal));
    }

    [Fact]
    public async Task Apply_RenderedChart_CreatesThePauseConfigMapAndTheLeastPrivilegeRoles()
    {
        var rendered = Path.Combine(_home, "chart.yaml");
        await File.WriteAllTextAsync(rendered, await RunOkAsync(RepositoryFiles.Tool("helm"),
            "template", "thoras", RepositoryFiles.Chart, "--namespace", "thoras", "--include-crds"));

        await KubectlOkAsync("apply", "-f", rendered);

        var configMap = JsonDocument.Parse(await KubectlOkAsync("get", "configmap", "thoras-operator-system-config", "-n", "thoras", "-o", "json")).RootElement;
        var role = JsonDocument.Parse(await KubectlOkAsync("get", "clusterrole", "thoras-functions", "-o", "json")).RootElement;
        Assert.Equal("scaling-paused: false\n", configMap.GetProperty("data").GetProperty("system-config.yaml").GetString());
        Assert.DoesNotContain(role.GetProperty("rules").EnumerateArray().SelectMany(r => r.GetProperty("verbs").EnumerateArray()), v => v.GetString() == "*");
    }

    [Fact]
    public async Task Apply_Samples_TheAdapterReadsEveryOneAsValid()
    {
        await KubectlOkAsync("apply", "-f", RepositoryFiles.Crd);
        await KubectlOkAsync("apply", "-f", RepositoryFiles.Samples);
        var targets = new KubernetesTargetCluster(_cluster.Client, NullLogger<KubernetesTargetCluster>.Instance);

        var listing = await targets.ListAsync(["thoras-demo"], CancellationToken.None);

        Assert.Empty(listing.Invalid);
        Assert.Equal(
            [("api", (TargetMode?)null), ("cache", TargetMode.Recommendation), ("web", TargetMode.Autonomous)],
            listing.Targets.Select(t => (t.Metadata.Name, t.Spec.ModeOf(ScalingDirection.Vertical))).Order());
    }

    /// <summary>kubectl prints columns separated by two or more spaces; column names may contain one.</summary>
    private static string[] Columns(string line) =>
        System.Text.RegularExpressions.Regex.Split(line.Trim(), "\\s{2,}");

    private Task<string> KubectlOkAsync(params string[] args) =>
        RunOkAsync(RepositoryFiles.Tool("kubectl"), ["--kubeconfig", _kubeconfig, .. args]);

    private async Task<string> RunOkAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["HOME"] = _home;
        start.Environment["KUBECONFIG"] = _kubeconfig;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(tool)} {string.Join(' ', args)} exited {process.ExitCode}:\n{await output}\n{await error}");
        return await output;
    }
}

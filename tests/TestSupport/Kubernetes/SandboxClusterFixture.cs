using k8s;
using Thoras.Sandbox;
using Xunit;

namespace Thoras.TestSupport.Kubernetes;

/// <summary>
/// Gives a test class a running sandbox API server (over real HTTP on 127.0.0.1) with the chart's AIScaleTarget
/// CRD applied, and a client for it; each test isolates itself in its own namespace from <see cref="NewNamespaceAsync"/>.
/// </summary>
/// <example>
/// <code>
/// public sealed class MyTests(SandboxClusterFixture cluster) : IClassFixture&lt;SandboxClusterFixture&gt;
/// {
///     [Fact] public async Task X() { var ns = await cluster.NewNamespaceAsync(); await cluster.Client.CoreV1.ListNamespacedPodAsync(ns); }
/// }
/// </code>
/// </example>
public sealed class SandboxClusterFixture : IAsyncLifetime
{
    public SandboxServer Sandbox { get; private set; } = null!;

    public IKubernetes Client { get; private set; } = null!;

    /// <summary>The AIScaleTarget CRD as the Helm chart ships it.</summary>
    public static string CrdPath =>
        Path.Combine(Thoras.Infrastructure.Storage.Emulator.AzuriteProcess.FindRepositoryRoot(), "infra", "k8s", "chart", "crds", "aiscaletargets.thoras.ai.yaml");

    /// <summary>Creates a namespace no other test uses and returns its name.</summary>
    public async Task<string> NewNamespaceAsync(string prefix = "t")
    {
        var name = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        await Sandbox.Seed.NamespaceAsync(name);
        return name;
    }

    public async Task InitializeAsync()
    {
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions { AdmissionTimeout = TimeSpan.FromSeconds(1) });
        await Sandbox.Seed.ApplyFileAsync(CrdPath);
        Client = Sandbox.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Sandbox.DisposeAsync();
    }
}

using k8s;
using Thoras.Sandbox;
using Xunit;

namespace Thoras.Infrastructure.Tests.Kubernetes;

/// <summary>One sandbox API server per test class, with the chart's AIScaleTarget CRD applied; each test takes its own namespace.</summary>
public sealed class SandboxClusterFixture : IAsyncLifetime
{
    private int namespaces;

    public SandboxServer Sandbox { get; private set; } = null!;

    /// <summary>The real client over HTTP, as the app uses it.</summary>
    public IKubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions { AdmissionTimeout = TimeSpan.FromSeconds(1) });
        await Sandbox.Seed.ApplyFileAsync(RepositoryFiles.Crd);
        Client = Sandbox.CreateClient();
    }

    public async Task<string> NewNamespaceAsync()
    {
        var name = $"ast{Interlocked.Increment(ref namespaces)}-{Guid.NewGuid().ToString("N")[..6]}";
        await Sandbox.Seed.NamespaceAsync(name);
        return name;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Sandbox.DisposeAsync();
    }
}

using k8s;

namespace Thoras.Sandbox.Tests.Support;

/// <summary>One running sandbox per test class; each test takes its own namespace.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private int namespaces;

    public SandboxServer Sandbox { get; private set; } = null!;

    public IKubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            NodeCpu = "8",
            NodeMemory = "16Gi",
            AdmissionTimeout = TimeSpan.FromSeconds(1),
        });
        Client = Sandbox.CreateClient();
    }

    public async Task<string> NewNamespaceAsync()
    {
        var name = $"t{Interlocked.Increment(ref namespaces)}-{Guid.NewGuid().ToString("N")[..6]}";
        await Sandbox.Seed.NamespaceAsync(name);
        return name;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Sandbox.DisposeAsync();
    }
}

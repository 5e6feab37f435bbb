using k8s;
using k8s.Models;
using Thoras.Sandbox.Tests.Support;

namespace Thoras.Sandbox.Tests.Api;

public sealed class WatchTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture fixture;

    public WatchTests(SandboxFixture fixture) => this.fixture = fixture;

    [Fact]
    public async Task Watch_ConfigMaps_StreamsAddedModifiedDeleted()
    {
        var ns = await fixture.NewNamespaceAsync();
        var client = fixture.Client;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<(WatchEventType, string)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, item) in client.CoreV1.WatchListNamespacedConfigMapAsync(ns, cancellationToken: stop.Token))
            {
                seen.Add((type, item.Data is { } data && data.TryGetValue("a", out var value) ? value : ""));
                if (type == WatchEventType.Deleted)
                    return;
            }
        }, stop.Token);
        await Task.Delay(200, stop.Token);

        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "w" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ns);
        await client.CoreV1.PatchNamespacedConfigMapAsync(Patch.Merge("""{"data":{"a":"2"}}"""), "w", ns);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("w", ns);
        await watching;

        Assert.Equal([(WatchEventType.Added, "1"), (WatchEventType.Modified, "2"), (WatchEventType.Deleted, "2")], seen);
    }
}

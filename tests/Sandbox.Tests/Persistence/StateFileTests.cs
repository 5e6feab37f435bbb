using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Time.Testing;
using Thoras.Sandbox.Seeding;
using Thoras.Sandbox.Tests.Support;

namespace Thoras.Sandbox.Tests.Persistence;

/// <summary>A sandbox stopped and started again on the same state file, over HTTP.</summary>
public sealed class StateFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sandbox-state-").FullName;
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));

    private string StateFile => Path.Combine(directory, "sandbox.json");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private Task<SandboxServer> StartAsync(params string[] seeds) =>
        SandboxServer.StartAsync(new SandboxOptions { StateFile = StateFile, TimeProvider = time, SeedFiles = seeds });

    private async Task<string> SeedAsync(SandboxServer sandbox)
    {
        await sandbox.Seed.ApplyFileAsync(TestPaths.ChartCrd);
        await sandbox.Seed.NamespaceAsync("shop");
        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("shop", "web").WithContainer("app", cpuRequest: "250m", memoryRequest: "256Mi").Build());
        var ast = await sandbox.Seed.ApplyYamlAsync("""
            apiVersion: thoras.ai/v1
            kind: AIScaleTarget
            metadata: {name: web, namespace: shop}
            spec: {scaleTargetRef: {kind: Deployment, name: web}, vertical: {mode: recommendation}}
            """);
        return ast[0]["metadata"]!["uid"]!.ToString();
    }

    private static async Task<JsonObject> AstAsync(IKubernetes client) =>
        Crds.Node(await client.CustomObjects.GetNamespacedCustomObjectAsync("thoras.ai", "v1", "shop", "aiscaletargets", "web"));

    [Fact]
    public async Task Restart_SameStateFile_KeepsTheObjectsWithTheirUids()
    {
        string astUid, podUid;
        await using (var first = await StartAsync())
        {
            astUid = await SeedAsync(first);
            using var client = first.CreateClient();
            podUid = Assert.Single((await client.CoreV1.ListNamespacedPodAsync("shop")).Items).Metadata.Uid;
        }

        await using var second = await StartAsync();
        using var again = second.CreateClient();

        Assert.True(second.Restored);
        Assert.Equal(astUid, (await AstAsync(again))["metadata"]!["uid"]!.ToString());
        Assert.Equal(podUid, Assert.Single((await again.CoreV1.ListNamespacedPodAsync("shop")).Items).Metadata.Uid);
    }

    [Fact]
    public async Task Restart_AfterAModeSwitch_KeepsTheSwitchAndSkipsTheSeedFiles()
    {
        var seed = Path.Combine(directory, "seed.yaml");
        await File.WriteAllTextAsync(seed, "apiVersion: v1\nkind: Namespace\nmetadata: {name: seeded}\n");
        await using (var first = await StartAsync(seed))
        {
            await SeedAsync(first);
            using var client = first.CreateClient();
            await client.CustomObjects.PatchNamespacedCustomObjectAsync(Patch.Merge("""{"spec":{"vertical":{"mode":"autonomous"}}}"""),
                "thoras.ai", "v1", "shop", "aiscaletargets", "web");
            await client.CoreV1.DeleteNamespaceAsync("seeded");
        }

        await using var second = await StartAsync(seed);
        using var again = second.CreateClient();

        Assert.Equal("autonomous", (await AstAsync(again))["spec"]!["vertical"]!["mode"]!.ToString());
        Assert.DoesNotContain((await again.CoreV1.ListNamespaceAsync()).Items, n => n.Metadata.Name == "seeded");
    }

    [Fact]
    public async Task Restart_NextWrite_GetsAHigherResourceVersionThanAnyBefore()
    {
        string before;
        await using (var first = await StartAsync())
        {
            await SeedAsync(first);
            using var client = first.CreateClient();
            before = (await client.CoreV1.ListNamespacedPodAsync("shop")).Metadata.ResourceVersion;
        }

        await using var second = await StartAsync();
        using var again = second.CreateClient();
        var patched = Crds.Node(await again.CustomObjects.PatchNamespacedCustomObjectAsync(Patch.Merge("""{"spec":{"vertical":{"mode":"observation"}}}"""),
            "thoras.ai", "v1", "shop", "aiscaletargets", "web"));

        Assert.True(long.Parse(patched["metadata"]!["resourceVersion"]!.ToString()) > long.Parse(before));
    }

    [Fact]
    public async Task SavedClock_AfterStop_IsTheClocksTimeAtTheLastWrite()
    {
        await using (var first = await StartAsync())
            time.Advance(TimeSpan.FromHours(3));

        Assert.Equal(time.GetUtcNow(), SandboxServer.SavedClock(StateFile));
    }

    [Fact]
    public async Task Start_DamagedStateFile_StartsEmpty()
    {
        await File.WriteAllTextAsync(StateFile, "{not json");

        await using var sandbox = await StartAsync();
        using var client = sandbox.CreateClient();

        Assert.False(sandbox.Restored);
        Assert.Contains((await client.CoreV1.ListNamespaceAsync()).Items, n => n.Metadata.Name == "default");
    }
}

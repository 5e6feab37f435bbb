using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;
using Thoras.Infrastructure.Kubernetes;
using Xunit;

namespace Thoras.Infrastructure.Tests.Kubernetes;

/// <summary>The conditional mode writes against the sandbox API server, through the real client over HTTP.</summary>
public sealed class KubernetesModeWriterTests(SandboxClusterFixture cluster) : IClassFixture<SandboxClusterFixture>
{
    private readonly KubernetesModeWriter _writer = new(cluster.Client, NullLogger<KubernetesModeWriter>.Instance);

    private async Task<JsonObject> CreateAsync(string ns, string verticalMode)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "thoras.ai/v1",
            ["kind"] = "AIScaleTarget",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "web" },
                ["vertical"] = new JsonObject
                {
                    ["mode"] = verticalMode,
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["cpu"] = new JsonObject { ["lowerbound"] = "100m" } }),
                },
            },
        };
        var created = await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(body, "thoras.ai", "v1", ns, "aiscaletargets");
        return JsonNode.Parse(created.GetRawText())!.AsObject();
    }

    private async Task<JsonObject> ReadAsync(string ns)
    {
        var read = await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>("thoras.ai", "v1", ns, "aiscaletargets", "web");
        return JsonNode.Parse(read.GetRawText())!.AsObject();
    }

    private static string Version(JsonObject target) => (string)target["metadata"]!["resourceVersion"]!;

    [Fact]
    public async Task WriteModeAsync_AtTheReadVersion_WritesTheModeAndAnnotationAndKeepsTheRestOfTheSpec()
    {
        var ns = await cluster.NewNamespaceAsync();
        var created = await CreateAsync(ns, "auto");

        var version = await _writer.WriteModeAsync(new TargetKey(ns, "web"), Version(created), ScalingDirection.Vertical, TargetMode.Recommendation, "change-1", CancellationToken.None);

        var raw = await ReadAsync(ns);
        Assert.Equal(
            ("recommendation", "100m", "change-1", version),
            ((string)raw["spec"]!["vertical"]!["mode"]!, (string)raw["spec"]!["vertical"]!["containers"]![0]!["cpu"]!["lowerbound"]!,
                (string)raw["metadata"]!["annotations"]![PendingModeChange.ModeChangeAnnotation]!, Version(raw)));
    }

    [Fact]
    public async Task WriteModeAsync_TargetChangedSinceTheRead_ThrowsConflictAndWritesNothing()
    {
        var ns = await cluster.NewNamespaceAsync();
        var created = await CreateAsync(ns, "recommendation");
        var stale = Version(created);
        await _writer.FenceAsync(new TargetKey(ns, "web"), stale, "other-change", CancellationToken.None);

        await Assert.ThrowsAsync<TargetConflictException>(
            () => _writer.WriteModeAsync(new TargetKey(ns, "web"), stale, ScalingDirection.Vertical, TargetMode.Autonomous, "change-1", CancellationToken.None));

        Assert.Equal("recommendation", (string)(await ReadAsync(ns))["spec"]!["vertical"]!["mode"]!);
    }

    [Fact]
    public async Task FenceAsync_AtTheReadVersion_SetsOnlyTheAnnotation()
    {
        var ns = await cluster.NewNamespaceAsync();
        var created = await CreateAsync(ns, "autonomous");

        await _writer.FenceAsync(new TargetKey(ns, "web"), Version(created), "fence-1", CancellationToken.None);

        var raw = await ReadAsync(ns);
        Assert.Equal(
            ("autonomous", "fence-1"),
            ((string)raw["spec"]!["vertical"]!["mode"]!, (string)raw["metadata"]!["annotations"]![PendingModeChange.ModeChangeAnnotation]!));
    }

    [Fact]
    public async Task WriteModeAsync_NoSuchTarget_ThrowsNotFound()
    {
        var ns = await cluster.NewNamespaceAsync();

        await Assert.ThrowsAsync<TargetNotFoundException>(
            () => _writer.WriteModeAsync(new TargetKey(ns, "web"), "1", ScalingDirection.Vertical, TargetMode.Autonomous, "change-1", CancellationToken.None));
    }
}

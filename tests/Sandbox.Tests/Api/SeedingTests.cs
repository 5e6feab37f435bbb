using k8s;
using Thoras.Sandbox.Seeding;
using Thoras.Sandbox.Tests.Support;
using static Thoras.Sandbox.Tests.Support.Crds;

namespace Thoras.Sandbox.Tests.Api;

public sealed class SeedingTests
{
    private const string SeedYaml = """
        apiVersion: thoras.ai/v1
        kind: AIScaleTarget
        metadata: {name: web, namespace: seeded}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          vertical: {mode: autonomous}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: seeded}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: seeded
          annotations: {sandbox.thoras.ai/usage: "ratio:0.25"}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: app
                image: pause
                resources: {requests: {cpu: "1", memory: 1Gi}}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: aiscaletargets.thoras.ai}
        spec:
          group: thoras.ai
          scope: Namespaced
          names: {kind: AIScaleTarget, plural: aiscaletargets, singular: aiscaletarget, shortNames: [ast]}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
        """;

    [Fact]
    public async Task ApplyYaml_MixedOrder_CreatesNamespaceCrdWorkloadAndCustomObject()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var client = sandbox.CreateClient();

        await sandbox.Seed.ApplyYamlAsync(SeedYaml);

        Assert.Equal(2, (await client.CoreV1.ListNamespacedPodAsync("seeded")).Items.Count);
        var ast = Node(await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, AstVersion, "seeded", Plural, "web"));
        Assert.Equal("autonomous", ast["spec"]!["vertical"]!["mode"]!.ToString());
        var metrics = await client.GetKubernetesPodsMetricsByNamespaceAsync("seeded");
        Assert.All(metrics.Items, m => Assert.Equal(0.25m, m.Containers.Single().Usage["cpu"].ToDecimal()));
    }

    [Fact]
    public async Task SeedFiles_OnStart_AreApplied()
    {
        var file = Path.Combine(Path.GetTempPath(), $"seed-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, SeedYaml);
        try
        {
            await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { SeedFiles = [file] });
            using var client = sandbox.CreateClient();

            var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "seeded");

            Assert.Equal(2, deployment.Status.ReadyReplicas);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task DemoSeedFile_OnStart_RunsTheShop()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { SeedFiles = [SandboxOptions.DemoSeedFile], TracesDirectory = TestPaths.Traces });
        using var client = sandbox.CreateClient();

        var pods = await client.CoreV1.ListNamespacedPodAsync("shop");
        var metrics = await client.GetKubernetesPodsMetricsByNamespaceAsync("shop");

        Assert.Equal(6, pods.Items.Count);
        Assert.Equal(6, metrics.Items.Count());
    }

    [Fact]
    public async Task Apply_ExistingObject_ReplacesIt()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var client = sandbox.CreateClient();
        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("default", "web").WithReplicas(1).WithContainer("app").Build());

        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("default", "web").WithReplicas(3).WithContainer("app").Build());

        Assert.Equal(3, (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=web")).Items.Count);
    }

    [Fact]
    public void Parse_InvalidYaml_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => YamlManifests.Parse("kind: [unclosed"));
    }

    [Fact]
    public void Parse_Scalars_FollowCoreSchema()
    {
        var doc = Assert.Single(YamlManifests.Parse("a: 1\nb: \"1\"\nc: true\nd: 1.5\ne: 250m\nf: ~\n"));

        Assert.Equal("1", doc["a"]!.ToJsonString());
        Assert.Equal("\"1\"", doc["b"]!.ToJsonString());
        Assert.Equal("true", doc["c"]!.ToJsonString());
        Assert.Equal("1.5", doc["d"]!.ToJsonString());
        Assert.Equal("\"250m\"", doc["e"]!.ToJsonString());
        Assert.Null(doc["f"]);
    }
}

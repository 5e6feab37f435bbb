using System.Net;
using k8s;
using k8s.Models;
using Thoras.Sandbox.Seeding;
using Thoras.Sandbox.Tests.Support;
using static Thoras.Sandbox.Tests.Support.Crds;

namespace Thoras.Sandbox.Tests.Workloads;

public sealed class WorkloadTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture fixture;
    private readonly IKubernetes client;

    public WorkloadTests(SandboxFixture fixture)
    {
        this.fixture = fixture;
        client = fixture.Client;
    }

    private async Task<string> DeployAsync(int replicas = 2, string cpu = "100m", string memory = "128Mi")
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web").WithReplicas(replicas)
            .WithContainer("app", cpuRequest: cpu, memoryRequest: memory).Build());
        return ns;
    }

    [Fact]
    public async Task Deployment_Created_RunsReadyPodsOwnedByIt()
    {
        var ns = await DeployAsync(replicas: 3);

        var pods = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items;
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("web", ns);

        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.Equal("Running", p.Status.Phase));
        Assert.All(pods, p => Assert.Equal(deployment.Metadata.Uid, p.Metadata.OwnerReferences[0].Uid));
        Assert.Equal(3, deployment.Status.ReadyReplicas);
    }

    [Fact]
    public async Task PatchDeployment_TemplateChange_ReplacesPodsWithNewNames()
    {
        var ns = await DeployAsync(replicas: 2);
        var before = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Select(p => p.Metadata.Name).ToList();

        await client.AppsV1.PatchNamespacedDeploymentAsync(Patch.Strategic(
            """{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-01-01T00:00:00Z"}}}}}"""), "web", ns);

        var after = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items;
        Assert.Equal(2, after.Count);
        Assert.Empty(after.Select(p => p.Metadata.Name).Intersect(before));
        Assert.All(after, p => Assert.Equal("2026-01-01T00:00:00Z", p.Metadata.Annotations["kubectl.kubernetes.io/restartedAt"]));
    }

    [Fact]
    public async Task PatchPod_TemplateHashLabelChanged_ControllerReplacesIt()
    {
        var ns = await DeployAsync(replicas: 1);
        var pod = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Single();
        // Any write settles what seeding left to reconcile, so only the label change below can move the controller.
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settle" } }, ns);

        await client.CoreV1.PatchNamespacedPodAsync(Patch.Merge("""{"metadata":{"labels":{"pod-template-hash":"other"}}}"""), pod.Metadata.Name, ns);

        var after = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Single();
        Assert.NotEqual(pod.Metadata.Name, after.Metadata.Name);
        Assert.Equal(1, (await client.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Status.Replicas);
    }

    [Fact]
    public async Task PatchDeployment_ReplicasOnly_KeepsExistingPods()
    {
        var ns = await DeployAsync(replicas: 1);
        var before = Assert.Single((await client.CoreV1.ListNamespacedPodAsync(ns)).Items);

        await client.AppsV1.PatchNamespacedDeploymentAsync(Patch.Merge("""{"spec":{"replicas":2}}"""), "web", ns);

        var after = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items;
        Assert.Equal(2, after.Count);
        Assert.Contains(after, p => p.Metadata.Uid == before.Metadata.Uid);
    }

    [Fact]
    public async Task PatchStatefulSet_TemplateChange_RecreatesPodsUnderStableNames()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(WorkloadBuilder.StatefulSet(ns, "db").WithReplicas(2).WithContainer("db", cpuRequest: "100m").Build());
        var before = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.ToDictionary(p => p.Metadata.Name, p => p.Metadata.Uid);

        await client.AppsV1.PatchNamespacedStatefulSetAsync(Patch.Merge(
            """{"spec":{"template":{"metadata":{"annotations":{"restart":"1"}}}}}"""), "db", ns);

        var after = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items;
        Assert.Equal(["db-0", "db-1"], after.Select(p => p.Metadata.Name).Order());
        Assert.All(after, p => Assert.NotEqual(before[p.Metadata.Name], p.Metadata.Uid));
    }

    [Fact]
    public async Task DeleteDeployment_Always_DeletesItsPods()
    {
        var ns = await DeployAsync();

        await client.AppsV1.DeleteNamespacedDeploymentAsync("web", ns);

        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync(ns)).Items);
    }

    [Fact]
    public async Task ResizePod_WithinCapacity_ChangesResourcesKeepingNameAndUid()
    {
        var ns = await DeployAsync(replicas: 1);
        var pod = Assert.Single((await client.CoreV1.ListNamespacedPodAsync(ns)).Items);

        await client.CoreV1.PatchNamespacedPodResizeAsync(Patch.Strategic(
            """{"spec":{"containers":[{"name":"app","resources":{"requests":{"cpu":"300m","memory":"256Mi"}}}]}}"""), pod.Metadata.Name, ns);

        var resized = await client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, ns);
        Assert.Equal(pod.Metadata.Uid, resized.Metadata.Uid);
        Assert.Equal("300m", resized.Spec.Containers[0].Resources.Requests["cpu"].ToString());
        Assert.Equal("300m", resized.Status.ContainerStatuses[0].Resources.Requests["cpu"].ToString());
        Assert.Equal(0, resized.Status.ContainerStatuses[0].RestartCount);
        Assert.DoesNotContain(resized.Status.Conditions, c => c.Type == "PodResizePending");
        Assert.Single((await client.CoreV1.ListNamespacedPodAsync(ns)).Items);
    }

    [Fact]
    public async Task ResizePod_BeyondNodeCapacity_ReportsInfeasibleAndKeepsRunningResources()
    {
        var ns = await DeployAsync(replicas: 1);
        var pod = Assert.Single((await client.CoreV1.ListNamespacedPodAsync(ns)).Items);

        await client.CoreV1.PatchNamespacedPodResizeAsync(Patch.Strategic(
            """{"spec":{"containers":[{"name":"app","resources":{"requests":{"cpu":"64"}}}]}}"""), pod.Metadata.Name, ns);

        var resized = await client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, ns);
        var pending = Assert.Single(resized.Status.Conditions, c => c.Type == "PodResizePending");
        Assert.Equal("Infeasible", pending.Reason);
        Assert.Equal("100m", resized.Status.ContainerStatuses[0].Resources.Requests["cpu"].ToString());
        Assert.Equal(pod.Metadata.Uid, resized.Metadata.Uid);
    }

    [Fact]
    public async Task ResizePod_FitsNodeButNotBesideOtherPods_ReportsDeferred()
    {
        var ns = await DeployAsync(replicas: 2);
        var pod = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items[0];

        await client.CoreV1.PatchNamespacedPodResizeAsync(Patch.Strategic(
            """{"spec":{"containers":[{"name":"app","resources":{"requests":{"cpu":"7990m"}}}]}}"""), pod.Metadata.Name, ns);

        var resized = await client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, ns);
        Assert.Equal("Deferred", Assert.Single(resized.Status.Conditions, c => c.Type == "PodResizePending").Reason);
    }

    [Fact]
    public async Task ResizePod_ChangingQosClass_Returns422()
    {
        var ns = await DeployAsync(replicas: 1);
        var pod = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items[0];

        var error = await ApiFailureAsync(() => client.CoreV1.PatchNamespacedPodResizeAsync(Patch.Strategic(
            """{"spec":{"containers":[{"name":"app","resources":{"requests":null}}]}}"""), pod.Metadata.Name, ns));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
    }

    [Fact]
    public async Task ResizePod_ChangingImage_Returns422()
    {
        var ns = await DeployAsync(replicas: 1);
        var pod = Assert.Single((await client.CoreV1.ListNamespacedPodAsync(ns)).Items);

        var error = await ApiFailureAsync(() => client.CoreV1.PatchNamespacedPodResizeAsync(Patch.Strategic(
            """{"spec":{"containers":[{"name":"app","image":"nginx"}]}}"""), pod.Metadata.Name, ns));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
    }

    [Fact]
    public async Task EvictPod_BudgetForbids_Returns429AndKeepsPod()
    {
        var ns = await DeployAsync(replicas: 2);
        await fixture.Sandbox.Seed.ApplyAsync(Manifests.PodDisruptionBudget(ns, "web", new Dictionary<string, string> { ["app"] = "web" }, minAvailable: "2"));
        var pod = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items[0];

        var error = await ApiFailureAsync(() => client.CoreV1.CreateNamespacedPodEvictionAsync(
            new V1Eviction { Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = ns } }, pod.Metadata.Name, ns));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.Response.StatusCode);
        Assert.Equal(pod.Metadata.Uid, (await client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, ns)).Metadata.Uid);
    }

    [Fact]
    public async Task EvictPod_BudgetAllows_DeletesPodAndWorkloadReplacesIt()
    {
        var ns = await DeployAsync(replicas: 2);
        await fixture.Sandbox.Seed.ApplyAsync(Manifests.PodDisruptionBudget(ns, "web", new Dictionary<string, string> { ["app"] = "web" }, maxUnavailable: "1"));
        var pod = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items[0];

        await client.CoreV1.CreateNamespacedPodEvictionAsync(
            new V1Eviction { Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = ns } }, pod.Metadata.Name, ns);

        var pods = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items;
        Assert.Equal(2, pods.Count);
        Assert.DoesNotContain(pods, p => p.Metadata.Name == pod.Metadata.Name);
    }

    [Fact]
    public async Task CreatePod_MutatingWebhookConfigured_AppliesReturnedPatch()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var webhook = await WebhookServer.StartAsync(
            """[{"op":"add","path":"/metadata/labels/mutated","value":"yes"},{"op":"replace","path":"/spec/containers/0/resources/requests/cpu","value":"333m"}]""");
        await client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(Webhook(ns, webhook.Url, timeoutSeconds: 5));

        await fixture.Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web").WithContainer("app", cpuRequest: "100m").Build());

        var pod = Assert.Single((await client.CoreV1.ListNamespacedPodAsync(ns)).Items);
        Assert.Equal("yes", pod.Metadata.Labels["mutated"]);
        Assert.Equal("333m", pod.Spec.Containers[0].Resources.Requests["cpu"].ToString());
        Assert.Equal(1, webhook.Reviews);
    }

    [Fact]
    public async Task CreatePod_WebhookTimesOut_CreatesPodUnchanged()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var webhook = await WebhookServer.StartAsync(
            """[{"op":"add","path":"/metadata/labels/mutated","value":"yes"}]""", delay: TimeSpan.FromSeconds(5));
        await client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(Webhook(ns, webhook.Url, timeoutSeconds: 1));

        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "solo", Labels = new Dictionary<string, string> { ["app"] = "solo" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "pause" }] },
        }, ns);

        var pod = await client.CoreV1.ReadNamespacedPodAsync("solo", ns);
        Assert.False(pod.Metadata.Labels.ContainsKey("mutated"));
        Assert.Equal("Running", pod.Status.Phase);
    }

    [Fact]
    public async Task CreatePod_AdmissionWebhookUrlOption_AppliesPatch()
    {
        await using var webhook = await WebhookServer.StartAsync("""[{"op":"add","path":"/metadata/labels/mutated","value":"by-option"}]""");
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { AdmissionWebhookUrl = webhook.Url });
        using var optionClient = sandbox.CreateClient();

        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("default", "web").WithContainer("app").Build());

        var pod = Assert.Single((await optionClient.CoreV1.ListNamespacedPodAsync("default")).Items);
        Assert.Equal("by-option", pod.Metadata.Labels["mutated"]);
    }

    private static V1MutatingWebhookConfiguration Webhook(string ns, Uri url, int timeoutSeconds) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"thoras-{ns}" },
        Webhooks =
        [
            new V1MutatingWebhook
            {
                Name = "pods.thoras.ai",
                ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = url.ToString() },
                Rules = [new V1RuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Operations = ["CREATE"], Resources = ["pods"] }],
                FailurePolicy = "Ignore",
                SideEffects = "None",
                AdmissionReviewVersions = ["v1"],
                TimeoutSeconds = timeoutSeconds,
                NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns } },
            },
        ],
    };
}

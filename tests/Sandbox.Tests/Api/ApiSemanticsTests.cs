using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Thoras.Sandbox.Seeding;
using Thoras.Sandbox.Tests.Support;
using static Thoras.Sandbox.Tests.Support.Crds;

namespace Thoras.Sandbox.Tests.Api;

public sealed class ApiSemanticsTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture fixture;
    private readonly IKubernetes client;

    public ApiSemanticsTests(SandboxFixture fixture)
    {
        this.fixture = fixture;
        client = fixture.Client;
    }

    private static V1ConfigMap ConfigMap(string ns, string name = "settings") =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Data = new Dictionary<string, string> { ["a"] = "1" } };

    [Fact]
    public async Task Create_Always_SetsResourceVersionUidAndCreationTimestamp()
    {
        var ns = await fixture.NewNamespaceAsync();

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns), ns);

        Assert.False(string.IsNullOrEmpty(created.Metadata.ResourceVersion));
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
    }

    [Fact]
    public async Task List_NamespacesSharingAPrefix_OnlyTheNamedNamespace()
    {
        var ns = await fixture.NewNamespaceAsync();
        foreach (var other in new[] { ns + "-b", ns + "b" })
        {
            await fixture.Sandbox.Seed.NamespaceAsync(other);
            await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(other, "other"), other);
        }

        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns, "a"), ns);
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns, "b"), ns);

        var listed = await client.CoreV1.ListNamespacedConfigMapAsync(ns);

        Assert.Equal(["a", "b"], listed.Items.Select(c => c.Metadata.Name));
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_Returns409WithConflictStatus()
    {
        var ns = await fixture.NewNamespaceAsync();
        var first = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns), ns);
        first.Data["a"] = "2";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "settings", ns);
        first.Data["a"] = "3";

        var error = await ApiFailureAsync(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "settings", ns));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        var status = StatusBody(error);
        Assert.Equal("Status", status["kind"]!.ToString());
        Assert.Equal("Conflict", status["reason"]!.ToString());
        Assert.Equal(409, status["code"]!.GetValue<int>());
        Assert.Equal("2", (await client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns)).Data["a"]);
    }

    [Fact]
    public async Task Replace_CurrentResourceVersion_StoresAndBumpsVersion()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns), ns);
        created.Data["a"] = "2";

        var replaced = await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "settings", ns);

        Assert.NotEqual(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
        Assert.Equal("2", replaced.Data["a"]);
    }

    [Fact]
    public async Task MergePatch_StaleResourceVersion_Returns409()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns), ns);
        await client.CoreV1.PatchNamespacedConfigMapAsync(Patch.Merge("""{"data":{"a":"2"}}"""), "settings", ns);

        var error = await ApiFailureAsync(() => client.CoreV1.PatchNamespacedConfigMapAsync(
            Patch.Merge($$$"""{"metadata":{"resourceVersion":"{{{created.Metadata.ResourceVersion}}}"},"data":{"a":"3"}}"""), "settings", ns));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal("Conflict", StatusBody(error)["reason"]!.ToString());
    }

    [Fact]
    public async Task MergePatch_NullValue_RemovesKey()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns), ns);

        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(Patch.Merge("""{"data":{"a":null,"b":"2"}}"""), "settings", ns);

        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, patched.Data);
    }

    [Fact]
    public async Task JsonPatch_Operations_AppliedInOrder()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns), ns);

        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(
            Patch.Json("""[{"op":"test","path":"/data/a","value":"1"},{"op":"add","path":"/data/b","value":"2"},{"op":"remove","path":"/data/a"}]"""), "settings", ns);

        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, patched.Data);
    }

    [Fact]
    public async Task JsonPatch_FailedTest_Returns422AndChangesNothing()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns), ns);

        var error = await ApiFailureAsync(() => client.CoreV1.PatchNamespacedConfigMapAsync(
            Patch.Json("""[{"op":"test","path":"/data/a","value":"9"},{"op":"add","path":"/data/b","value":"2"}]"""), "settings", ns));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.False((await client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns)).Data.ContainsKey("b"));
    }

    [Fact]
    public async Task StrategicMergePatch_Containers_MergedByName()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web")
            .WithContainer("app", cpuRequest: "100m").WithContainer("sidecar", cpuRequest: "50m").Build());

        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(Patch.Strategic(
            """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","resources":{"requests":{"cpu":"75m"}}}]}}}}"""), "web", ns);

        var containers = patched.Spec.Template.Spec.Containers;
        Assert.Equal(["app", "sidecar"], containers.Select(c => c.Name));
        Assert.Equal("100m", containers[0].Resources.Requests["cpu"].ToString());
        Assert.Equal("75m", containers[1].Resources.Requests["cpu"].ToString());
        Assert.Equal("registry.k8s.io/pause:3.10", containers[1].Image);
    }

    [Fact]
    public async Task StrategicMergePatch_DeleteDirective_RemovesContainer()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web").WithContainer("app").WithContainer("sidecar").Build());

        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(Patch.Strategic(
            """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}"""), "web", ns);

        Assert.Equal(["app"], patched.Spec.Template.Spec.Containers.Select(c => c.Name));
    }

    [Fact]
    public async Task Read_Missing_Returns404WithNotFoundStatus()
    {
        var ns = await fixture.NewNamespaceAsync();

        var error = await ApiFailureAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("absent", ns));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
        var status = StatusBody(error);
        Assert.Equal("NotFound", status["reason"]!.ToString());
        Assert.Equal("configmaps \"absent\" not found", status["message"]!.ToString());
    }

    [Fact]
    public async Task Create_MalformedBody_Returns400WithBadRequestStatus()
    {
        var ns = await fixture.NewNamespaceAsync();
        using var http = new HttpClient { BaseAddress = fixture.Sandbox.BaseUrl };
        using var body = new StringContent("{\"metadata\": {", Encoding.UTF8, "application/json");

        using var response = await http.PostAsync($"api/v1/namespaces/{ns}/configmaps", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("BadRequest", status["reason"]!.ToString());
        Assert.Empty((await client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items);
    }

    [Fact]
    public async Task Create_Existing_Returns409AlreadyExists()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns), ns);

        var error = await ApiFailureAsync(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns), ns));

        Assert.Equal("AlreadyExists", StatusBody(error)["reason"]!.ToString());
    }

    [Fact]
    public async Task Create_InMissingNamespace_Returns404()
    {
        var error = await ApiFailureAsync(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("nowhere"), "nowhere"));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    [Fact]
    public async Task ListPods_LabelSelector_ReturnsOnlyMatching()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web").WithReplicas(2).WithContainer("app").Build());
        await fixture.Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "api").WithContainer("app").Build());

        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=web");

        Assert.Equal(2, pods.Items.Count);
        Assert.All(pods.Items, p => Assert.StartsWith("web-", p.Metadata.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeleteCustomObject_WithFinalizer_SetsDeletionTimestampAndKeepsObject()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(AiScaleTargetCrd());
        var ast = AiScaleTarget(ns, "web");
        ast["metadata"]!["finalizers"] = new JsonArray("thoras.ai/cleanup");
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(ast, Group, AstVersion, ns, Plural);

        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, AstVersion, ns, Plural, "web");

        var kept = Node(await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, AstVersion, ns, Plural, "web"));
        Assert.NotNull(kept["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task PatchCustomObject_RemovingLastFinalizerOfDeletedObject_RemovesIt()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(AiScaleTargetCrd());
        var ast = AiScaleTarget(ns, "web");
        ast["metadata"]!["finalizers"] = new JsonArray("thoras.ai/cleanup");
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(ast, Group, AstVersion, ns, Plural);
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, AstVersion, ns, Plural, "web");

        await client.CustomObjects.PatchNamespacedCustomObjectAsync(Patch.Merge("""{"metadata":{"finalizers":null}}"""), Group, AstVersion, ns, Plural, "web");

        var error = await ApiFailureAsync(() => client.CustomObjects.GetNamespacedCustomObjectAsync(Group, AstVersion, ns, Plural, "web"));
        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    [Fact]
    public async Task DeleteCustomObject_WithoutFinalizers_RemovesAtOnce()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(AiScaleTargetCrd());
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(AiScaleTarget(ns, "web"), Group, AstVersion, ns, Plural);

        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, AstVersion, ns, Plural, "web");

        var list = Node(await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, AstVersion, ns, Plural));
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task PatchCustomObjectStatus_ChangesStatusButNotSpec()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(AiScaleTargetCrd());
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(AiScaleTarget(ns, "web"), Group, AstVersion, ns, Plural);

        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            Patch.Merge("""{"status":{"phase":"Ready"},"spec":{"vertical":{"mode":"autonomous"}}}"""), Group, AstVersion, ns, Plural, "web");

        var stored = Node(await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, AstVersion, ns, Plural, "web"));
        Assert.Equal("Ready", stored["status"]!["phase"]!.ToString());
        Assert.Equal("recommendation", stored["spec"]!["vertical"]!["mode"]!.ToString());
    }

    [Fact]
    public async Task PatchCustomObject_MainResource_IgnoresStatusAndBumpsGeneration()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(AiScaleTargetCrd());
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(AiScaleTarget(ns, "web"), Group, AstVersion, ns, Plural);

        var patched = Node(await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            Patch.Merge("""{"status":{"phase":"Ready"},"spec":{"vertical":{"mode":"autonomous"}}}"""), Group, AstVersion, ns, Plural, "web"));

        Assert.Null(patched["status"]);
        Assert.Equal("autonomous", patched["spec"]!["vertical"]!["mode"]!.ToString());
        Assert.Equal(2, patched["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task ReplaceCustomObject_StaleResourceVersion_Returns409()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(AiScaleTargetCrd());
        var created = Node(await client.CustomObjects.CreateNamespacedCustomObjectAsync(AiScaleTarget(ns, "web"), Group, AstVersion, ns, Plural));
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(Patch.Merge("""{"spec":{"x":1}}"""), Group, AstVersion, ns, Plural, "web");

        var error = await ApiFailureAsync(() => client.CustomObjects.ReplaceNamespacedCustomObjectAsync(created, Group, AstVersion, ns, Plural, "web"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
    }

    [Fact]
    public async Task StrategicMergePatch_OnCustomObject_Returns415()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(AiScaleTargetCrd());
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(AiScaleTarget(ns, "web"), Group, AstVersion, ns, Plural);

        var error = await ApiFailureAsync(() => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            Patch.Strategic("""{"spec":{"x":1}}"""), Group, AstVersion, ns, Plural, "web"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, error.Response.StatusCode);
    }

    [Fact]
    public async Task ListClusterCustomObject_AllNamespaces_ReturnsEachNamespace()
    {
        var first = await fixture.NewNamespaceAsync();
        var second = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(AiScaleTargetCrd());
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(AiScaleTarget(first, "a"), Group, AstVersion, first, Plural);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(AiScaleTarget(second, "b"), Group, AstVersion, second, Plural);

        var list = Node(await client.CustomObjects.ListClusterCustomObjectAsync(Group, AstVersion, Plural));

        var names = list["items"]!.AsArray().Select(i => $"{i!["metadata"]!["namespace"]}/{i["metadata"]!["name"]}").ToList();
        Assert.Contains($"{first}/a", names);
        Assert.Contains($"{second}/b", names);
    }

    [Fact]
    public async Task CustomObject_WithoutCrd_Returns404()
    {
        var ns = await fixture.NewNamespaceAsync();

        var error = await ApiFailureAsync(() => client.CustomObjects.ListNamespacedCustomObjectAsync("nothing.example", "v1", ns, "widgets"));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    [Fact]
    public async Task ReplaceScale_Deployment_ChangesReplicasAndPods()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web").WithReplicas(1).WithContainer("app").Build());

        var scale = await client.AppsV1.PatchNamespacedDeploymentScaleAsync(Patch.Merge("""{"spec":{"replicas":3}}"""), "web", ns);

        Assert.Equal(3, scale.Spec.Replicas);
        Assert.Equal(3, (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count);
        Assert.Equal(3, (await client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", ns)).Status.Replicas);
    }

    [Fact]
    public async Task HorizontalPodAutoscaler_GetListPatch_RoundTrips()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(Manifests.HorizontalPodAutoscaler(ns, "web", "Deployment", "web", 1, 5));

        var patched = await client.AutoscalingV2.PatchNamespacedHorizontalPodAutoscalerAsync(Patch.Merge("""{"spec":{"maxReplicas":9}}"""), "web", ns);
        var listed = await client.AutoscalingV2.ListNamespacedHorizontalPodAutoscalerAsync(ns);

        Assert.Equal(9, patched.Spec.MaxReplicas);
        Assert.Equal(9, Assert.Single(listed.Items).Spec.MaxReplicas);
        Assert.Equal(80, (await client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("web", ns)).Spec.Metrics[0].Resource.Target.AverageUtilization);
    }

    [Fact]
    public async Task PodDisruptionBudget_List_ReportsAllowedDisruptions()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web").WithReplicas(3).WithContainer("app").Build());
        await fixture.Sandbox.Seed.ApplyAsync(Manifests.PodDisruptionBudget(ns, "web", new Dictionary<string, string> { ["app"] = "web" }, minAvailable: "2"));

        var pdb = Assert.Single((await client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(ns)).Items);

        Assert.Equal(1, pdb.Status.DisruptionsAllowed);
        Assert.Equal(3, pdb.Status.CurrentHealthy);
    }

    [Fact]
    public async Task CreateEvent_Core_IsStored()
    {
        var ns = await fixture.NewNamespaceAsync();
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = "web.", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference { Kind = "Deployment", Name = "web", NamespaceProperty = ns },
            Reason = "Resized",
            Message = "resized",
            Type = "Normal",
        };

        var created = await client.CoreV1.CreateNamespacedEventAsync(ev, ns);

        Assert.StartsWith("web.", created.Metadata.Name, StringComparison.Ordinal);
        Assert.Single((await client.CoreV1.ListNamespacedEventAsync(ns)).Items);
    }

    [Fact]
    public async Task GenericKinds_HelmChartObjects_AreStoredAndServed()
    {
        var ns = await fixture.NewNamespaceAsync();

        await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "thoras" } }, ns);
        await client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = $"{ns}-role" }, Rules = [] });
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "key" }, StringData = new Dictionary<string, string> { ["k"] = "v" } }, ns);

        Assert.Equal("thoras", (await client.CoreV1.ReadNamespacedServiceAccountAsync("thoras", ns)).Metadata.Name);
        Assert.NotNull(await client.RbacAuthorizationV1.ReadClusterRoleAsync($"{ns}-role"));
        Assert.Equal("v", System.Text.Encoding.UTF8.GetString((await client.CoreV1.ReadNamespacedSecretAsync("key", ns)).Data["k"]));
    }

    [Fact]
    public async Task DeleteNamespace_Always_RemovesItsObjects()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns), ns);

        await client.CoreV1.DeleteNamespaceAsync(ns);

        Assert.Empty((await client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: $"metadata.namespace={ns}")).Items);
    }
}

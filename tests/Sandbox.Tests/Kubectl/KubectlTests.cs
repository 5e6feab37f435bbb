using System.Text.Json.Nodes;
using k8s;
using Thoras.Sandbox.Seeding;
using Thoras.Sandbox.Tests.Support;
using static Thoras.Sandbox.Tests.Support.Crds;

namespace Thoras.Sandbox.Tests.Kubectl;

public sealed class KubectlTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture fixture;
    private readonly IKubernetes client;
    private readonly Support.Kubectl kubectl;

    public KubectlTests(SandboxFixture fixture)
    {
        this.fixture = fixture;
        client = fixture.Client;
        kubectl = new Support.Kubectl(fixture.Sandbox);
    }

    public void Dispose() => kubectl.Dispose();

    private async Task<string> DeployAsync(int replicas = 2)
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web").WithReplicas(replicas)
            .WithContainer("app", cpuRequest: "100m", memoryRequest: "128Mi").Build());
        return ns;
    }

    private async Task<string> AstAsync()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(AiScaleTargetCrd());
        await fixture.Sandbox.Seed.ApplyAsync(AiScaleTarget(ns, "web-ast", target: "web", mode: "autonomous"));
        return ns;
    }

    [Fact]
    public async Task GetPods_Table_ShowsNameReadyStatusAndAge()
    {
        var ns = await DeployAsync();

        var output = await kubectl.OkAsync("get", "pods", "-n", ns);

        var lines = output.Trim().Split('\n');
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE", lines[0]);
        Assert.Equal(2, lines.Count(l => l.StartsWith("web-", StringComparison.Ordinal) && l.Contains("1/1", StringComparison.Ordinal) && l.Contains("Running", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GetDeployments_AllNamespaces_ShowsNamespaceColumn()
    {
        var ns = await DeployAsync();

        var output = await kubectl.OkAsync("get", "deployments", "-A");

        Assert.StartsWith("NAMESPACE", output, StringComparison.Ordinal);
        Assert.Matches($@"(?m)^{ns}\s+web\s+2/2\s+2\s+2\s+", output);
    }

    [Fact]
    public async Task GetPods_OutputJson_ListsObjects()
    {
        var ns = await DeployAsync();

        var output = await kubectl.OkAsync("get", "pods", "-n", ns, "-o", "json");

        var items = JsonNode.Parse(output)!["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal("Running", i!["status"]!["phase"]!.ToString()));
    }

    [Fact]
    public async Task GetDeployment_OutputYaml_PrintsObject()
    {
        var ns = await DeployAsync();

        var output = await kubectl.OkAsync("get", "deployment", "web", "-n", ns, "-o", "yaml");

        Assert.Contains("kind: Deployment", output, StringComparison.Ordinal);
        Assert.Contains("cpu: 100m", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPods_LabelSelector_Filters()
    {
        var ns = await DeployAsync(replicas: 1);
        await fixture.Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "api").WithContainer("app").Build());

        var output = await kubectl.OkAsync("get", "pods", "-n", ns, "-l", "app=api", "-o", "name");

        var names = output.Trim().Split('\n');
        Assert.Single(names);
        Assert.StartsWith("pod/api-", names[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCustomResource_ShortName_UsesPrinterColumns()
    {
        var ns = await AstAsync();

        var output = await kubectl.OkAsync("get", "ast", "-n", ns);

        var lines = output.Trim().Split('\n');
        Assert.Matches(@"^NAME\s+TARGET\s+MODE\s+AGE", lines[0]);
        Assert.Matches(@"^web-ast\s+web\s+autonomous\s+\d+s", lines[1]);
    }

    [Fact]
    public async Task Describe_Pod_ShowsStatusAndContainers()
    {
        var ns = await DeployAsync(replicas: 1);
        var pod = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items[0].Metadata.Name;

        var output = await kubectl.OkAsync("describe", "pod", pod, "-n", ns);

        Assert.Matches($@"(?m)^Name:\s+{pod}", output);
        Assert.Matches(@"(?m)^Status:\s+Running", output);
        Assert.Contains("cpu:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_Deployment_ShowsReplicasAndTemplate()
    {
        var ns = await DeployAsync(replicas: 2);

        var output = await kubectl.OkAsync("describe", "deployment", "web", "-n", ns);

        Assert.Matches(@"(?m)^Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable", output);
        Assert.Contains("app=web", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAll_Namespace_ListsPodsAndWorkloads()
    {
        var ns = await DeployAsync(replicas: 1);

        var output = await kubectl.OkAsync("get", "all", "-n", ns);

        Assert.Contains("pod/web-", output, StringComparison.Ordinal);
        Assert.Contains("deployment.apps/web", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_CustomResource_ShowsSpec()
    {
        var ns = await AstAsync();

        var output = await kubectl.OkAsync("describe", "ast", "web-ast", "-n", ns);

        Assert.Matches(@"(?m)^Name:\s+web-ast", output);
        Assert.Contains("autonomous", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_NewThenChangedManifest_CreatesThenUpdates()
    {
        var ns = await fixture.NewNamespaceAsync();
        var file = Path.Combine(kubectl.Home, "app.yaml");
        await File.WriteAllTextAsync(file, Manifest(ns, "100m"));
        await kubectl.OkAsync("apply", "-f", file);
        await File.WriteAllTextAsync(file, Manifest(ns, "250m"));

        await kubectl.OkAsync("apply", "-f", file);

        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("shop", ns);
        Assert.Equal("250m", deployment.Spec.Template.Spec.Containers[0].Resources.Requests["cpu"].ToString());
        Assert.Equal("v", (await client.CoreV1.ReadNamespacedConfigMapAsync("shop-config", ns)).Data["k"]);
        Assert.All((await client.CoreV1.ListNamespacedPodAsync(ns)).Items,
            p => Assert.Equal("250m", p.Spec.Containers[0].Resources.Requests["cpu"].ToString()));
    }

    [Fact]
    public async Task Apply_CustomResource_CreatesThenMergesChange()
    {
        var ns = await AstAsync();
        var file = Path.Combine(kubectl.Home, "ast.yaml");
        await File.WriteAllTextAsync(file, $"""
            apiVersion: thoras.ai/v1
            kind: AIScaleTarget
            metadata:
              name: applied
              namespace: {ns}
            spec:
              scaleTargetRef: {"{"}apiVersion: apps/v1, kind: Deployment, name: web{"}"}
              vertical:
                mode: recommendation
            """);
        await kubectl.OkAsync("apply", "-f", file);
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("recommendation", "autonomous", StringComparison.Ordinal));

        await kubectl.OkAsync("apply", "-f", file);

        var ast = Node(await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, AstVersion, ns, Plural, "applied"));
        Assert.Equal("autonomous", ast["spec"]!["vertical"]!["mode"]!.ToString());
    }

    [Fact]
    public async Task Patch_Merge_ChangesConfigMap()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(Manifests.ConfigMap(ns, "settings", new Dictionary<string, string> { ["a"] = "1" }));

        await kubectl.OkAsync("patch", "configmap", "settings", "-n", ns, "--type", "merge", "-p", """{"data":{"b":"2"}}""");

        var data = (await client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns)).Data;
        Assert.Equal("1", data["a"]);
        Assert.Equal("2", data["b"]);
    }

    [Fact]
    public async Task Patch_Strategic_MergesContainersByName()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web").WithContainer("app", cpuRequest: "100m").WithContainer("sidecar", cpuRequest: "50m").Build());

        await kubectl.OkAsync("patch", "deployment", "web", "-n", ns, "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","resources":{"requests":{"cpu":"80m"}}}]}}}}""");

        var containers = (await client.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Template.Spec.Containers;
        Assert.Equal("100m", containers.Single(c => c.Name == "app").Resources.Requests["cpu"].ToString());
        Assert.Equal("80m", containers.Single(c => c.Name == "sidecar").Resources.Requests["cpu"].ToString());
    }

    [Fact]
    public async Task Patch_ResizeSubresource_ResizesPodInPlace()
    {
        var ns = await DeployAsync(replicas: 1);
        var pod = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items[0];

        await kubectl.OkAsync("patch", "pod", pod.Metadata.Name, "-n", ns, "--subresource", "resize", "-p",
            """{"spec":{"containers":[{"name":"app","resources":{"requests":{"cpu":"200m"}}}]}}""");

        var resized = await client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, ns);
        Assert.Equal(pod.Metadata.Uid, resized.Metadata.Uid);
        Assert.Equal("200m", resized.Status.ContainerStatuses[0].Resources.Requests["cpu"].ToString());
    }

    [Fact]
    public async Task Delete_ConfigMap_RemovesIt()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Sandbox.Seed.ApplyAsync(Manifests.ConfigMap(ns, "settings", new Dictionary<string, string> { ["a"] = "1" }));

        await kubectl.OkAsync("delete", "configmap", "settings", "-n", ns);

        Assert.Empty((await client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items);
    }

    [Fact]
    public async Task Delete_CustomResourceWithFinalizer_MarksForDeletion()
    {
        var ns = await AstAsync();
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(Patch.Merge("""{"metadata":{"finalizers":["thoras.ai/cleanup"]}}"""), Group, AstVersion, ns, Plural, "web-ast");

        await kubectl.OkAsync("delete", "ast", "web-ast", "-n", ns, "--wait=false");

        var ast = Node(await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, AstVersion, ns, Plural, "web-ast"));
        Assert.NotNull(ast["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task Edit_CustomResource_SavesEditorChanges()
    {
        var ns = await AstAsync();
        var editor = Path.Combine(kubectl.Home, "editor.sh");
        await File.WriteAllTextAsync(editor, "#!/bin/sh\nsed -i 's/mode: autonomous/mode: recommendation/' \"$1\"\n");

        var result = await kubectl.RunAsync(["edit", "ast", "web-ast", "-n", ns], new Dictionary<string, string> { ["KUBE_EDITOR"] = $"sh {editor}" });

        Assert.True(result.ExitCode == 0, result.ToString());
        var ast = Node(await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, AstVersion, ns, Plural, "web-ast"));
        Assert.Equal("recommendation", ast["spec"]!["vertical"]!["mode"]!.ToString());
    }

    [Fact]
    public async Task Edit_Deployment_SavesEditorChangesAndRollsPods()
    {
        var ns = await DeployAsync(replicas: 1);
        var before = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items[0].Metadata.Name;
        var editor = Path.Combine(kubectl.Home, "editor-deploy.sh");
        await File.WriteAllTextAsync(editor, "#!/bin/sh\nsed -i 's/cpu: 100m/cpu: 150m/' \"$1\"\n");

        var result = await kubectl.RunAsync(["edit", "deployment", "web", "-n", ns], new Dictionary<string, string> { ["KUBE_EDITOR"] = $"sh {editor}" });

        Assert.True(result.ExitCode == 0, result.ToString());
        var pod = Assert.Single((await client.CoreV1.ListNamespacedPodAsync(ns)).Items);
        Assert.NotEqual(before, pod.Metadata.Name);
        Assert.Equal("150m", pod.Spec.Containers[0].Resources.Requests["cpu"].ToString());
    }

    [Fact]
    public async Task Top_Pods_ShowsMetrics()
    {
        var ns = await DeployAsync(replicas: 1);

        var output = await kubectl.OkAsync("top", "pod", "-n", ns);

        Assert.Matches(@"(?m)^web-\S+\s+50m\s+64Mi", output);
    }

    [Fact]
    public async Task Apply_RenderedChartKinds_AllStored()
    {
        var ns = await fixture.NewNamespaceAsync();
        var file = Path.Combine(kubectl.Home, "chart.yaml");
        await File.WriteAllTextAsync(file, $"""
            apiVersion: v1
            kind: ServiceAccount
            metadata: {"{"}name: thoras, namespace: {ns}{"}"}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {"{"}name: {ns}-thoras{"}"}
            rules:
            - apiGroups: [thoras.ai]
              resources: [aiscaletargets]
              verbs: [get, list, patch]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {"{"}name: {ns}-thoras{"}"}
            roleRef: {"{"}apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {ns}-thoras{"}"}
            subjects:
            - {"{"}kind: ServiceAccount, name: thoras, namespace: {ns}{"}"}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {"{"}name: thoras, namespace: {ns}{"}"}
            rules: []
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {"{"}name: thoras, namespace: {ns}{"}"}
            roleRef: {"{"}apiGroup: rbac.authorization.k8s.io, kind: Role, name: thoras{"}"}
            subjects: []
            ---
            apiVersion: v1
            kind: Secret
            metadata: {"{"}name: webhook-path, namespace: {ns}{"}"}
            stringData: {"{"}path: s3cr3t{"}"}
            ---
            apiVersion: v1
            kind: Service
            metadata: {"{"}name: thoras, namespace: {ns}{"}"}
            spec:
              ports: [{"{"}port: 443, targetPort: 8443{"}"}]
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: MutatingWebhookConfiguration
            metadata: {"{"}name: {ns}-thoras{"}"}
            webhooks:
            - name: pods.thoras.ai
              admissionReviewVersions: [v1]
              sideEffects: None
              failurePolicy: Ignore
              clientConfig: {"{"}url: "https://127.0.0.1:1/api/webhook/s3cr3t"{"}"}
              rules: [{"{"}apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]{"}"}]
              namespaceSelector: {"{"}matchLabels: {"{"}kubernetes.io/metadata.name: {ns}{"}"}{"}"}
            """);

        var output = await kubectl.OkAsync("apply", "-f", file);

        Assert.Equal(8, output.Trim().Split('\n').Count(l => l.EndsWith(" created", StringComparison.Ordinal)));
        Assert.NotNull(await client.RbacAuthorizationV1.ReadClusterRoleBindingAsync($"{ns}-thoras"));
        Assert.NotNull(await client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync($"{ns}-thoras"));
        Assert.Equal("s3cr3t", System.Text.Encoding.UTF8.GetString((await client.CoreV1.ReadNamespacedSecretAsync("webhook-path", ns)).Data["path"]));
    }

    [Fact]
    public async Task ApplyServerSide_NewThenChanged_CreatesThenUpdates()
    {
        var ns = await fixture.NewNamespaceAsync();
        var file = Path.Combine(kubectl.Home, "ssa.yaml");
        await File.WriteAllTextAsync(file, Manifest(ns, "100m"));
        await kubectl.OkAsync("apply", "--server-side", "-f", file);
        await File.WriteAllTextAsync(file, Manifest(ns, "300m"));

        await kubectl.OkAsync("apply", "--server-side", "-f", file);

        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("shop", ns);
        Assert.Equal("300m", deployment.Spec.Template.Spec.Containers.Single().Resources.Requests["cpu"].ToString());
        Assert.Equal(2, (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count);
    }

    [Fact]
    public async Task Apply_HelmTemplateOutput_DeploysRunningPods()
    {
        var ns = await fixture.NewNamespaceAsync();
        var helm = Path.Combine(Path.GetDirectoryName(TestPaths.Kubectl)!, "helm");
        var chart = Path.Combine(kubectl.Home, "demo");
        Assert.Equal(0, await RunToolAsync(helm, ["create", chart]));
        var rendered = new System.Text.StringBuilder();
        Assert.Equal(0, await RunToolAsync(helm, ["template", "demo", chart, "-n", ns, "--skip-tests"], rendered));

        var result = await kubectl.RunAsync(["apply", "-n", ns, "-f", "-"], stdin: rendered.ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        var pod = Assert.Single((await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app.kubernetes.io/instance=demo")).Items);
        Assert.Equal("Running", pod.Status.Phase);
    }

    private async Task<int> RunToolAsync(string tool, string[] args, System.Text.StringBuilder? output = null)
    {
        var start = new System.Diagnostics.ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["HOME"] = kubectl.Home;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        output?.Append(await stdout);
        await stderr;
        return process.ExitCode;
    }

    [Fact]
    public async Task RolloutRestart_Deployment_ReplacesPodsAndReportsRolledOut()
    {
        var ns = await DeployAsync(replicas: 2);
        var before = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Select(p => p.Metadata.Name).ToList();

        await kubectl.OkAsync("rollout", "restart", "deployment/web", "-n", ns);
        var status = await kubectl.OkAsync("rollout", "status", "deployment/web", "-n", ns, "--timeout=10s");

        Assert.Contains("successfully rolled out", status, StringComparison.Ordinal);
        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Select(p => p.Metadata.Name).Intersect(before));
    }

    [Fact]
    public async Task GetShortName_RightAfterItsCrdIsApplied_ListsTheObjectsPastTheDiscoveryCache()
    {
        var ns = await fixture.NewNamespaceAsync();
        await kubectl.OkAsync("get", "namespaces");
        var crd = Manifests.CustomResourceDefinition("cache.example.com", "v1", "Gadget", "gadgets", ["gdg"], [("Size", "string", ".spec.size")]);
        Assert.True(Directory.Exists(Path.Combine(kubectl.Home, ".kube", "cache", "discovery")), "kubectl kept no discovery cache");
        await kubectl.RunAsync(["apply", "-f", "-"], stdin: crd.ToJsonString());
        await fixture.Sandbox.Seed.ApplyAsync(Manifests.CustomObject("cache.example.com/v1", "Gadget", ns, "g1", new JsonObject { ["size"] = "large" }));

        var output = await kubectl.OkAsync("get", "gdg", "-n", ns);

        Assert.Matches(@"(?m)^g1\s+large\s*$", output);
    }

    [Fact]
    public async Task ServerFlag_WithoutKubeconfig_ReachesSandbox()
    {
        var result = await kubectl.RunAsync(["--server", fixture.Sandbox.BaseUrl.ToString(), "get", "namespaces", "-o", "name"],
            new Dictionary<string, string> { ["KUBECONFIG"] = Path.Combine(kubectl.Home, "absent") });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("namespace/default", result.Output, StringComparison.Ordinal);
    }

    private static string Manifest(string ns, string cpu) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: shop-config
          namespace: {ns}
        data:
          k: v
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: shop
          namespace: {ns}
        spec:
          replicas: 2
          selector:
            matchLabels: {"{"}app: shop{"}"}
          template:
            metadata:
              labels: {"{"}app: shop{"}"}
            spec:
              containers:
              - name: app
                image: registry.k8s.io/pause:3.10
                resources:
                  requests: {"{"}cpu: {cpu}, memory: 64Mi{"}"}
        """;
}

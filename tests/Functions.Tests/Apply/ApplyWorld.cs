using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Apply;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Pause;
using Thoras.Domain.Targets;
using Thoras.Functions.Apply;
using Thoras.Functions.Hosting;
using Thoras.Functions.Http;
using Thoras.Sandbox;
using Thoras.Sandbox.Seeding;
using Thoras.TestSupport.Storage;

namespace Thoras.Functions.Tests.Apply;

/// <summary>
/// One test's world: a sandbox API server with the AIScaleTarget CRD, a fresh set of Azurite tables, the app's real
/// service registration pointed at both, and a local Kestrel hosting the admission function, registered in the
/// sandbox as a MutatingWebhookConfiguration so pod creations go through it over real HTTP.
/// </summary>
public sealed class ApplyWorld : IAsyncDisposable
{
    public const string Namespace = "shop";
    public const string PathSecret = "s3cret-path";

    private readonly WebApplication _webhookHost;

    private ApplyWorld(SandboxServer sandbox, ServiceProvider services, WebApplication webhookHost, Uri webhookUrl)
    {
        Sandbox = sandbox;
        Services = services;
        _webhookHost = webhookHost;
        WebhookUrl = webhookUrl;
        Client = sandbox.CreateClient();
    }

    public SandboxServer Sandbox { get; }

    public ServiceProvider Services { get; }

    public IKubernetes Client { get; }

    /// <summary>The admission function's URL, secret included.</summary>
    public Uri WebhookUrl { get; }

    public ApplyStage Stage => Services.GetRequiredService<ApplyStage>();

    public ITargetCluster Targets => Services.GetRequiredService<ITargetCluster>();

    public IEnrollmentStore Enrollments => Services.GetRequiredService<IEnrollmentStore>();

    public PauseService Pause => Services.GetRequiredService<PauseService>();

    public static async Task<ApplyWorld> StartAsync(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null, TimeSpan? usageSampleInterval = null)
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            AdmissionTimeout = TimeSpan.FromSeconds(5),
            UsageSampleInterval = usageSampleInterval ?? TimeSpan.FromMinutes(1),
        });
        await sandbox.Seed.ApplyFileAsync(Thoras.TestSupport.Kubernetes.SandboxClusterFixture.CrdPath);
        await sandbox.Seed.NamespaceAsync(Namespace);
        await sandbox.Seed.NamespaceAsync("thoras");

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = azurite.NewNames().Prefix,
            ["Kubernetes:Mode"] = "url",
            ["Kubernetes:ClusterUrl"] = sandbox.BaseUrl.ToString(),
            ["Admission:PathSecret"] = PathSecret,
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddThorasFunctions(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false });

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Services.AddMvcCore();
        var host = builder.Build();
        // The same function class the Functions host runs, created per call with DI, its result executed as MVC does.
        host.MapPost("/api/admission/pods/{secret}", async (HttpContext context, string secret) =>
        {
            var function = ActivatorUtilities.CreateInstance<AdmissionFunction>(services);
            IActionResult result;
            try
            {
                result = await function.Run(context.Request, secret);
            }
            catch (ProblemException problem)
            {
                result = new StatusCodeResult(problem.Status);
            }

            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        });
        await host.StartAsync();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new Uri($"{address}/api/admission/pods/{PathSecret}");

        await sandbox.Seed.ApplyAsync(new JsonObject
        {
            ["apiVersion"] = "admissionregistration.k8s.io/v1",
            ["kind"] = "MutatingWebhookConfiguration",
            ["metadata"] = new JsonObject { ["name"] = "thoras-pods" },
            ["webhooks"] = new JsonArray(new JsonObject
            {
                ["name"] = "pods.thoras.ai",
                ["clientConfig"] = new JsonObject { ["url"] = url.ToString() },
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["operations"] = new JsonArray("CREATE"),
                    ["apiGroups"] = new JsonArray(""),
                    ["apiVersions"] = new JsonArray("v1"),
                    ["resources"] = new JsonArray("pods"),
                }),
                ["failurePolicy"] = "Ignore",
                ["timeoutSeconds"] = 5,
                ["sideEffects"] = "None",
                ["admissionReviewVersions"] = new JsonArray("v1"),
            }),
        });
        return new ApplyWorld(sandbox, services, host, url);
    }

    /// <summary>A Deployment <c>web</c> with container <c>app</c> (250m/256Mi requests, 1/1Gi limits).</summary>
    public Task DeployAsync(int replicas, string name = "web", string usage = "ratio:0.5") =>
        Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(Namespace, name).WithReplicas(replicas).WithContainer("app", "250m", "256Mi", "1", "1Gi").WithUsage(usage).Build());

    /// <summary>Creates an AIScaleTarget and returns it as the app reads it.</summary>
    public async Task<AIScaleTarget> CreateTargetAsync(string name, JsonObject spec)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "thoras.ai/v1",
            ["kind"] = "AIScaleTarget",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
            ["spec"] = spec,
        };
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(body, "thoras.ai", "v1", Namespace, "aiscaletargets");
        return (await Targets.GetAsync(new TargetKey(Namespace, name), CancellationToken.None))!;
    }

    /// <summary>Publishes a suggestion as the forecast stage does: a real status write through the adapter.</summary>
    public async Task<string> PublishAsync(AIScaleTarget target, string? cpu = null, string? memory = null, int? replicas = null, bool enoughData = true)
    {
        var uid = Guid.NewGuid().ToString();
        var suggestion = new Suggestion
        {
            SuggestionUID = uid,
            Start = DateTimeOffset.UtcNow,
            End = DateTimeOffset.UtcNow.AddMinutes(15),
            HasEnoughDataToScale = enoughData,
            SuggestedReplicas = replicas,
            ResourceRecommendations = cpu is null && memory is null ? null :
            [
                new ResourceRecommendation
                {
                    ContainerName = "app",
                    Requests = new ResourceAmounts { Cpu = cpu is null ? null : Quantity.Parse(cpu), Memory = memory is null ? null : Quantity.Parse(memory) },
                },
            ],
        };
        await Targets.UpdateStatusAsync(target.Key, target.Metadata.Uid, s => s with { LatestSuggestion = suggestion }, CancellationToken.None);
        return uid;
    }

    public async Task<IReadOnlyList<V1Pod>> PodsAsync(string app = "web")
    {
        var pods = await Client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: $"app={app}");
        return [.. pods.Items.Where(p => p.Metadata.DeletionTimestamp is null).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)];
    }

    public async Task ScaleAsync(int replicas, string name = "web")
    {
        var patch = new V1Patch($"{{\"spec\":{{\"replicas\":{replicas}}}}}", V1Patch.PatchType.MergePatch);
        await Client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, Namespace);
    }

    public async Task<TargetStatus> StatusAsync(string name) =>
        (await Targets.GetAsync(new TargetKey(Namespace, name), CancellationToken.None))!.Status;

    public static string Cpu(V1Pod pod) => pod.Spec.Containers.Single(c => c.Name == "app").Resources.Requests["cpu"].ToString();

    public static string Memory(V1Pod pod) => pod.Spec.Containers.Single(c => c.Name == "app").Resources.Requests["memory"].ToString();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _webhookHost.DisposeAsync();
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

}

using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Admission;

/// <summary>
/// Mutating admission for pod creation: sends an <c>AdmissionReview</c> v1 to each matching webhook URL and applies the
/// JSON patch it returns. Errors and timeouts are ignored (fail-open) unless the webhook says <c>failurePolicy: Fail</c>.
/// </summary>
internal sealed class PodAdmission
{
    private readonly ObjectStore store;
    private readonly SandboxOptions options;
    private readonly HttpClient http;
    private readonly ILogger logger;

    public PodAdmission(ObjectStore store, SandboxOptions options, HttpClient http, ILogger logger)
    {
        this.store = store;
        this.options = options;
        this.http = http;
        this.logger = logger;
    }

    public async Task<JsonObject> ReviewAsync(JsonObject pod, string ns, CancellationToken cancellation)
    {
        var current = (JsonObject)pod.DeepClone();
        JsonPaths.Metadata(current)["namespace"] = ns;
        foreach (var webhook in Webhooks(current, ns))
            current = await CallAsync(webhook, current, ns, cancellation);
        return current;
    }

    private sealed record Webhook(string Name, Uri Url, TimeSpan Timeout, bool FailClosed);

    private List<Webhook> Webhooks(JsonObject pod, string ns)
    {
        var hooks = new List<Webhook>();
        if (options.AdmissionWebhookUrl is not null)
            hooks.Add(new Webhook("sandbox-options", options.AdmissionWebhookUrl, options.AdmissionTimeout, false));
        var namespaceLabels = store.TryGet(ResourceCatalog.Namespaces, null, ns)?["metadata"]?["labels"] as JsonObject ?? new JsonObject();
        namespaceLabels["kubernetes.io/metadata.name"] = ns;
        foreach (var configuration in store.List(ResourceCatalog.MutatingWebhooks, null).Items)
        {
            foreach (var webhook in (configuration["webhooks"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var url = webhook["clientConfig"]?["url"]?.ToString();
                if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
                {
                    logger.LogWarning("Webhook {Webhook} has no clientConfig.url; the sandbox cannot reach services, so it is skipped", webhook["name"]);
                    continue;
                }

                if (!MatchesPodCreate(webhook)
                    || (webhook["objectSelector"] is JsonObject objectSelector && objectSelector.Count > 0 && !Selectors.Matches(objectSelector, pod["metadata"]?["labels"] as JsonObject))
                    || (webhook["namespaceSelector"] is JsonObject namespaceSelector && namespaceSelector.Count > 0 && !Selectors.Matches(namespaceSelector, namespaceLabels)))
                    continue;
                var seconds = JsonNumbers.Int(webhook["timeoutSeconds"]) ?? 10;
                var timeout = TimeSpan.FromSeconds(Math.Clamp(seconds, 1, 30));
                hooks.Add(new Webhook(webhook["name"]?.ToString() ?? "", uri, timeout < options.AdmissionTimeout ? timeout : options.AdmissionTimeout,
                    webhook["failurePolicy"]?.ToString() == "Fail"));
            }
        }

        return hooks;
    }

    private static bool MatchesPodCreate(JsonObject webhook) =>
        (webhook["rules"] as JsonArray ?? []).OfType<JsonObject>().Any(rule =>
            Contains(rule["operations"], "CREATE") && Contains(rule["resources"], "pods")
            && Contains(rule["apiGroups"], "") && Contains(rule["apiVersions"], "v1"));

    private static bool Contains(JsonNode? list, string value) =>
        (list as JsonArray ?? []).Any(v => v?.ToString() == value || v?.ToString() == "*");

    private async Task<JsonObject> CallAsync(Webhook webhook, JsonObject pod, string ns, CancellationToken cancellation)
    {
        var uid = Guid.NewGuid().ToString();
        var review = new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = new JsonObject
            {
                ["uid"] = uid,
                ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
                ["resource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
                ["requestKind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
                ["requestResource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
                ["name"] = pod["metadata"]?["name"]?.DeepClone() ?? "",
                ["namespace"] = ns,
                ["operation"] = "CREATE",
                ["userInfo"] = new JsonObject { ["username"] = "system:serviceaccount:kube-system:replicaset-controller" },
                ["object"] = pod.DeepClone(),
                ["oldObject"] = null,
                ["dryRun"] = false,
                ["options"] = new JsonObject { ["apiVersion"] = "meta.k8s.io/v1", ["kind"] = "CreateOptions" },
            },
        };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(webhook.Timeout);
            using var content = new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(webhook.Url, content, timeout.Token);
            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadFromJsonAsync<JsonObject>(timeout.Token)
                ?? throw new InvalidOperationException("empty AdmissionReview response");
            var result = answer["response"] as JsonObject ?? throw new InvalidOperationException("AdmissionReview has no response");
            if (result["uid"]?.ToString() != uid)
                throw new InvalidOperationException("AdmissionReview response uid does not match the request");
            if (result["allowed"]?.ToString() != "true")
            {
                var message = result["status"]?["message"]?.ToString() ?? "denied";
                throw new ApiError(JsonNumbers.Int(result["status"]?["code"]) ?? 403, "Forbidden",
                    $"admission webhook \"{webhook.Name}\" denied the request: {message}");
            }

            if (result["patch"]?.ToString() is { Length: > 0 } encoded)
            {
                var patch = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                return Patches.Apply(Patches.JsonPatch, pod, patch) as JsonObject ?? pod;
            }

            return pod;
        }
        catch (Exception e) when (e is not ApiError && !cancellation.IsCancellationRequested)
        {
            if (webhook.FailClosed)
                throw new ApiError(500, "InternalError", $"Internal error occurred: failed calling webhook \"{webhook.Name}\": {e.Message}");
            logger.LogWarning(e, "Webhook {Webhook} failed; failing open as failurePolicy Ignore", webhook.Name);
            return pod;
        }
    }
}

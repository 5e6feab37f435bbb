using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Apply;
using Thoras.Domain.Targets;
using Thoras.Functions.Http;

namespace Thoras.Functions.Apply;

/// <summary>
/// <c>POST /api/admission/pods/{secret}</c>: the mutating admission webhook for pod CREATE (AdmissionReview v1). A pod
/// of an autonomous (vertical), unpaused target gets the latest suggestion as a JSON patch; every other pod is allowed
/// unchanged. Anonymous at the Functions level (Kubernetes cannot send a function key); the path segment is compared
/// with <c>Admission__PathSecret</c> in constant time. Any error allows the pod unchanged, so the app never blocks
/// pod creation.
/// </summary>
public sealed class AdmissionFunction(PodAdmissionPolicy policy, AdmissionOptions options, ILogger<AdmissionFunction> logger)
{
    /// <summary>Well inside the API server's webhook timeout (the configuration sets 5 s), so the pod is never held up.</summary>
    private static readonly TimeSpan DecisionBudget = TimeSpan.FromSeconds(3);

    [Function("AdmissionPods")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admission/pods/{secret}")] HttpRequest request,
        string secret,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!SecretMatches(secret))
            throw new ProblemException(StatusCodes.Status401Unauthorized, "Unauthorized", "The admission webhook path does not carry the configured secret.");

        JsonObject review;
        try
        {
            review = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) as JsonObject
                ?? throw new JsonException("the body is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid AdmissionReview", "The body is not an AdmissionReview: " + ex.Message);
        }

        var uid = review["request"]?["uid"]?.GetValue<string>()
            ?? throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid AdmissionReview", "request.uid is missing.");
        string? patch = null;
        try
        {
            patch = await PatchForAsync(review["request"]!.AsObject(), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested || ex is OperationCanceledException)
        {
            logger.LogWarning(ex, "Admission of pod failed; the pod is admitted unchanged");
        }

        var response = new JsonObject { ["uid"] = uid, ["allowed"] = true };
        if (patch is not null)
        {
            response["patchType"] = "JSONPatch";
            response["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch));
        }

        var answer = new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response };
        return new ContentResult { Content = answer.ToJsonString(), ContentType = "application/json", StatusCode = StatusCodes.Status200OK };
    }

    private bool SecretMatches(string? secret)
    {
        if (string.IsNullOrEmpty(options.PathSecret) || string.IsNullOrEmpty(secret))
            return false;
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(secret)), SHA256.HashData(Encoding.UTF8.GetBytes(options.PathSecret)));
    }

    private async Task<string?> PatchForAsync(JsonObject request, CancellationToken cancellationToken)
    {
        if (request["operation"]?.GetValue<string>() != "CREATE" || request["kind"]?["kind"]?.GetValue<string>() != "Pod")
            return null;
        var pod = request["object"] as JsonObject ?? throw new JsonException("request.object is missing");
        var ns = request["namespace"]?.GetValue<string>() ?? pod["metadata"]?["namespace"]?.GetValue<string>()
            ?? throw new JsonException("the namespace is missing");
        var labels = (pod["metadata"]?["labels"] as JsonObject ?? [])
            .ToDictionary(l => l.Key, l => l.Value?.GetValue<string>() ?? string.Empty, StringComparer.Ordinal);
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().Select(ReadContainer).ToList();

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(DecisionBudget);
        var decision = await policy.DecideAsync(ns, labels, containers, budget.Token);
        var podName = pod["metadata"]?["name"]?.GetValue<string>() ?? pod["metadata"]?["generateName"]?.GetValue<string>() + "*";
        logger.LogInformation("Admission of pod {Namespace}/{Pod}: {Decision}", ns, podName, decision.Reason);
        if (decision.Containers is null)
            return null;

        // One replace (or add) of each container's resources: the pod is new, so nothing else can race with it.
        var operations = new JsonArray();
        for (var i = 0; i < decision.Containers.Count; i++)
        {
            var desired = decision.Containers[i];
            if (desired == containers[i])
                continue;
            var resources = new JsonObject { ["requests"] = Amounts(desired.Requests), ["limits"] = Amounts(desired.Limits) };
            var hasResources = (pod["spec"]!["containers"]![i] as JsonObject)?.ContainsKey("resources") == true;
            operations.Add(new JsonObject { ["op"] = hasResources ? "replace" : "add", ["path"] = $"/spec/containers/{i}/resources", ["value"] = resources });
        }

        return operations.Count == 0 ? null : operations.ToJsonString();
    }

    private static ContainerResources ReadContainer(JsonObject container) => new(
        container["name"]?.GetValue<string>() ?? string.Empty,
        ReadAmounts(container["resources"]?["requests"] as JsonObject),
        ReadAmounts(container["resources"]?["limits"] as JsonObject));

    private static ResourceAmounts ReadAmounts(JsonObject? amounts) => new()
    {
        Cpu = amounts?["cpu"]?.ToString() is { } cpu ? Quantity.Parse(cpu) : null,
        Memory = amounts?["memory"]?.ToString() is { } memory ? Quantity.Parse(memory) : null,
    };

    private static JsonObject Amounts(ResourceAmounts amounts)
    {
        var json = new JsonObject();
        if (amounts.Cpu is { } cpu)
            json["cpu"] = cpu.ToString();
        if (amounts.Memory is { } memory)
            json["memory"] = memory.ToString();
        return json;
    }
}

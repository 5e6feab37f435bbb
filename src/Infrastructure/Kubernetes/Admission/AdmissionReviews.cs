using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Thoras.Domain.Targets;

namespace Thoras.Infrastructure.Kubernetes.Admission;

/// <summary>
/// The parts of an <c>AdmissionReview</c> (<c>admission.k8s.io/v1</c>) the pod webhook uses: the request's uid (every
/// answer must carry it), whether it is a pod CREATE, and the pod's namespace, name, labels and containers.
/// </summary>
/// <param name="Uid">The review request's uid.</param>
/// <param name="IsPodCreate">Whether the request creates a pod; every other request is allowed unchanged.</param>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="PodName">The pod's name, or its <c>generateName</c> followed by <c>*</c>.</param>
/// <param name="Labels">The pod's labels.</param>
/// <param name="Containers">The pod's containers, in order, with their requests and limits.</param>
/// <param name="HasResources">Per container, whether it has a <c>resources</c> field (a patch replaces it, or adds it).</param>
public sealed record PodAdmissionRequest(
    string Uid,
    bool IsPodCreate,
    string Namespace,
    string PodName,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<ContainerResources> Containers,
    IReadOnlyList<bool> HasResources);

/// <summary>What reading an AdmissionReview gave: the request, or why it could not be read (with its uid when known).</summary>
/// <param name="Request">The request; null when the review is malformed.</param>
/// <param name="Uid">The request's uid when it could be read, so a malformed review can still be answered.</param>
/// <param name="Problem">Why the review is malformed; null when it was read.</param>
public sealed record AdmissionReviewReading(PodAdmissionRequest? Request, string? Uid, string? Problem);

/// <summary>
/// Reads AdmissionReviews and writes their answers, as the Kubernetes API server sends and expects them. Reading
/// never throws: a body that is not a review, or a review with fields of the wrong shape, is reported as a problem,
/// so the webhook can answer "allowed, unchanged" (it fails open, like its <c>failurePolicy: Ignore</c>).
/// </summary>
public static class AdmissionReviews
{
    /// <summary>The largest review read: a pod is at most about 1.5 MiB in etcd, and a CREATE review carries one.</summary>
    public const int MaxBytes = 3 * 1024 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Reads <paramref name="body"/> (UTF-8 JSON).</summary>
    public static AdmissionReviewReading Read(ReadOnlyMemory<byte> body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Span, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            return new AdmissionReviewReading(null, null, "the body is not JSON: " + ex.Message.Split(" Path:", 2)[0]);
        }

        if (root is not JsonObject review || review["request"] is not JsonObject request)
            return new AdmissionReviewReading(null, null, "the body is not an AdmissionReview (no request object)");
        if (request["uid"] is not JsonValue uidValue || !uidValue.TryGetValue<string>(out var uid) || uid.Length == 0)
            return new AdmissionReviewReading(null, null, "request.uid is missing or not a string");

        try
        {
            return new AdmissionReviewReading(ReadRequest(uid, request), uid, null);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or JsonException or ArgumentException)
        {
            return new AdmissionReviewReading(null, uid, ex.Message);
        }
    }

    /// <summary>
    /// A JSON patch that gives the pod's containers <paramref name="desired"/> resources (one replace or add per
    /// container that differs), or null when nothing differs. The pod is new, so nothing can race with the patch.
    /// </summary>
    public static string? Patch(PodAdmissionRequest request, IReadOnlyList<ContainerResources> desired)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(desired);
        if (desired.Count != request.Containers.Count)
            throw new ArgumentException("One desired entry per container is needed.", nameof(desired));
        var operations = new JsonArray();
        for (var i = 0; i < desired.Count; i++)
        {
            if (desired[i] == request.Containers[i])
                continue;
            var resources = new JsonObject { ["requests"] = Amounts(desired[i].Requests), ["limits"] = Amounts(desired[i].Limits) };
            operations.Add(new JsonObject { ["op"] = request.HasResources[i] ? "replace" : "add", ["path"] = $"/spec/containers/{i}/resources", ["value"] = resources });
        }

        return operations.Count == 0 ? null : operations.ToJsonString();
    }

    /// <summary>The answer that allows request <paramref name="uid"/>, with <paramref name="patch"/> when it is not null.</summary>
    public static string Allow(string uid, string? patch)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var response = new JsonObject { ["uid"] = uid, ["allowed"] = true };
        if (patch is not null)
        {
            response["patchType"] = "JSONPatch";
            response["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch));
        }

        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response }.ToJsonString();
    }

    private static PodAdmissionRequest ReadRequest(string uid, JsonObject request)
    {
        var isPodCreate = Text(request["operation"]) == "CREATE" && Text(request["kind"]?["kind"]) == "Pod";
        if (!isPodCreate)
            return new PodAdmissionRequest(uid, false, string.Empty, string.Empty, new Dictionary<string, string>(), [], []);

        var pod = request["object"] as JsonObject ?? throw new FormatException("request.object is missing");
        var metadata = pod["metadata"] as JsonObject;
        var ns = Text(request["namespace"]) ?? Text(metadata?["namespace"]) ?? throw new FormatException("the pod's namespace is missing");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata?["labels"] is JsonObject labelObject)
        {
            foreach (var (name, value) in labelObject)
                labels[name] = Text(value) ?? throw new FormatException($"label '{name}' is not a string");
        }

        var containerArray = pod["spec"]?["containers"] as JsonArray ?? throw new FormatException("spec.containers is missing");
        var containers = new List<ContainerResources>();
        var hasResources = new List<bool>();
        foreach (var node in containerArray)
        {
            var container = node as JsonObject ?? throw new FormatException("a container is not an object");
            var resources = container["resources"];
            containers.Add(new ContainerResources(
                Text(container["name"]) ?? throw new FormatException("a container has no name"),
                ReadAmounts(resources?["requests"]),
                ReadAmounts(resources?["limits"])));
            hasResources.Add(container.ContainsKey("resources"));
        }

        var podName = Text(metadata?["name"]) ?? (Text(metadata?["generateName"]) ?? string.Empty) + "*";
        return new PodAdmissionRequest(uid, true, ns, podName, labels, containers, hasResources);
    }

    private static ResourceAmounts ReadAmounts(JsonNode? amounts)
    {
        if (amounts is null)
            return new ResourceAmounts();
        if (amounts is not JsonObject values)
            throw new FormatException("resources must be objects");
        return new ResourceAmounts { Cpu = ReadQuantity(values["cpu"], "cpu"), Memory = ReadQuantity(values["memory"], "memory") };
    }

    private static Quantity? ReadQuantity(JsonNode? node, string name)
    {
        if (node is null)
            return null;
        // The API server writes quantities as strings; a number is valid JSON for one too.
        var text = node is JsonValue value && value.TryGetValue<string>(out var s) ? s : node.ToJsonString();
        return Quantity.TryParse(text, out var quantity, out var error) ? quantity : throw new FormatException($"{name} quantity '{text}': {error}");
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

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

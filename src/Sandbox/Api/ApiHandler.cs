using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Thoras.Sandbox.Admission;
using Thoras.Sandbox.Faults;
using Thoras.Sandbox.Seeding;
using Thoras.Sandbox.Storage;
using Thoras.Sandbox.Usage;
using Thoras.Sandbox.Workloads;

namespace Thoras.Sandbox.Api;

/// <summary>Routes Kubernetes REST paths to the store, the subresources and the discovery documents.</summary>
internal sealed class ApiHandler
{
    private readonly ObjectStore store;
    private readonly WorkloadController workloads;
    private readonly PodAdmission admission;
    private readonly Simulation simulation;
    private readonly SandboxFaults faults;
    private readonly Discovery discovery;
    private readonly OpenApi openApi;
    private readonly ILogger logger;

    public ApiHandler(ObjectStore store, WorkloadController workloads, PodAdmission admission, Simulation simulation, SandboxFaults faults, Discovery discovery, ILogger logger)
    {
        this.store = store;
        this.workloads = workloads;
        this.admission = admission;
        this.simulation = simulation;
        this.faults = faults;
        this.discovery = discovery;
        openApi = new OpenApi(store.Catalog);
        this.logger = logger;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        try
        {
            if (await faults.InterceptAsync(context))
                return;
            simulation.Advance();
            store.ExpireEvents();
            var response = await RouteAsync(context, path);
            if (await faults.InterceptAfterCommitAsync(context))
                return;
            if (response is not null)
                await WriteAsync(context, response.Value.Code, response.Value.Body);
        }
        catch (ApiError error)
        {
            logger.LogDebug("{Method} {Path} failed: {Code} {Reason}", request.Method, path, error.Code, error.Reason);
            await WriteAsync(context, error.Code, error.ToStatus());
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (a watch ended); nothing to answer.
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or ArgumentException)
        {
            // Objects of the wrong shape (a string where an object belongs) surface as these; the caller sent bad input.
            logger.LogDebug(e, "{Method} {Path} rejected as malformed", request.Method, path);
            await WriteAsync(context, 400, ApiError.BadRequest($"the request could not be processed: {e.Message}").ToStatus());
        }
    }

    private async Task<(int Code, JsonNode Body)?> RouteAsync(HttpContext context, string path)
    {
        var method = context.Request.Method;
        switch (path.TrimEnd('/'))
        {
            case "/version":
                return (200, Discovery.Version());
            case "/healthz" or "/readyz" or "/livez":
                await WriteTextAsync(context, "ok");
                return null;
            case "/api":
                return (200, Discovery.CoreVersions(context.Request.Host.Value ?? "127.0.0.1"));
            case "/apis":
                return (200, discovery.Groups());
            case "/openapi/v3":
                return (200, openApi.Root());
            case "/openapi/v2" or "/swagger.json":
                throw new ApiError(404, "NotFound", "the sandbox serves only the OpenAPI v3 index, without schemas");
        }

        if (path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            var parts = path["/openapi/v3/".Length..].Trim('/').Split('/');
            var document = parts switch
            {
                ["api", var v] => openApi.Document("", v),
                ["apis", var g, var v] => openApi.Document(g, v),
                _ => null,
            };
            return (200, document ?? throw new ApiError(404, "NotFound", "the server could not find the requested resource"));
        }

        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        string group, version;
        string[] rest;
        if (segments.Length >= 2 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], segments[2..]);
        }
        else if (segments.Length >= 3 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], segments[3..]);
        }
        else if (segments.Length == 2 && segments[0] == "apis")
        {
            return (200, discovery.Group(segments[1]) ?? throw new ApiError(404, "NotFound", "the server could not find the requested resource"));
        }
        else
        {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        }

        if (rest.Length == 0)
            return (200, discovery.Resources(group, version) ?? throw new ApiError(404, "NotFound", "the server could not find the requested resource"));

        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && !(rest.Length == 3 && rest[2] is "status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }

        var plural = rest[0];
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : "";
        if (rest.Length > 3)
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");

        if (group == MetricsView.Group)
            return (200, simulation.Metrics.Serve(version, plural, ns, name, context.Request.Query["labelSelector"]));

        var type = store.Catalog.Find(group, version, plural)
            ?? throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        if (type.Namespaced && name is not null && ns is null)
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");

        var query = context.Request.Query;
        var dryRun = query.ContainsKey("dryRun");
        var wantsTable = context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);
        var cancellation = context.RequestAborted;

        if (name is null)
        {
            var filter = Filter(type, query["labelSelector"], query["fieldSelector"]);
            switch (method)
            {
                case "GET" when IsTrue(query["watch"]):
                    await WatchAsync(context, type, ns, filter);
                    return null;
                case "GET":
                    var (items, rv) = store.List(type, ns, filter);
                    return (200, wantsTable ? Tables.Build(type, items, rv, store) : ListOf(type, items, rv));
                case "POST":
                    var body = await ReadObjectAsync(context.Request);
                    FieldValidation.Of(context, "CreateOptions").CheckBody(type, body);
                    JsonObject created;
                    if (type.StorageKey == ResourceCatalog.Pods.StorageKey)
                    {
                        var admitted = await admission.ReviewAsync(body, ns ?? "default", cancellation);
                        created = store.Create(type, ns, admitted, dryRun);
                    }
                    else
                    {
                        created = store.Create(type, ns, body, dryRun);
                    }

                    await workloads.ReconcileAsync(cancellation);
                    return (201, store.TryGet(type, ns, created["metadata"]!["name"]!.ToString()) ?? created);
                case "DELETE":
                    var (doomed, _) = store.List(type, ns, filter);
                    foreach (var item in doomed)
                        store.Delete(type, ns, item["metadata"]!["name"]!.ToString(), dryRun);
                    await workloads.ReconcileAsync(cancellation);
                    return (200, ListOf(type, doomed, store.CurrentResourceVersion));
                default:
                    throw ApiError.MethodNotAllowed($"the server does not allow this method on the requested resource");
            }
        }

        JsonNode result;
        int code = 200;
        switch (method, subresource)
        {
            case ("GET", ""):
                result = store.Get(type, ns, name);
                break;
            case ("GET", "status") when type.HasStatus:
            case ("GET", "resize") when type.StorageKey == ResourceCatalog.Pods.StorageKey:
                result = store.Get(type, ns, name);
                break;
            case ("GET", "scale") when type.HasScale:
                result = Scale.View(type, store.Get(type, ns, name));
                break;
            case ("PUT", "" or "status") when subresource.Length == 0 || type.HasStatus:
                var replacement = await ReadObjectAsync(context.Request);
                FieldValidation.Of(context, "UpdateOptions").CheckBody(type, replacement);
                result = store.Update(type, ns, name, _ => replacement, subresource, dryRun);
                break;
            case ("PUT", "scale") when type.HasScale:
                var scale = await ReadObjectAsync(context.Request);
                result = Scale.Set(store, type, ns, name, _ => scale, dryRun);
                break;
            case ("PATCH", "" or "status") when (context.Request.ContentType ?? "").StartsWith(Patches.ApplyPatch, StringComparison.Ordinal):
                var applied = ParseApplied(await ReadTextAsync(context.Request));
                FieldValidation.Of(context, "PatchOptions");
                FieldValidation.CheckApplied(type, ns, name, applied);
                if (subresource.Length == 0 && store.TryGet(type, ns, name) is null)
                {
                    JsonPaths.Metadata(applied)["name"] = name;
                    if (type.StorageKey == ResourceCatalog.Pods.StorageKey)
                        applied = await admission.ReviewAsync(applied, ns!, cancellation);
                    result = store.Create(type, ns, applied, dryRun);
                    code = 201;
                }
                else
                {
                    result = store.Update(type, ns, name, current => Patches.ApplyConfiguration(current, applied, strategic: !type.IsCustom), subresource, dryRun);
                }

                break;
            case ("PATCH", "" or "status") when subresource.Length == 0 || type.HasStatus:
                var patchBody = await ReadTextAsync(context.Request);
                var contentType = context.Request.ContentType ?? "";
                if (type.IsCustom && contentType.StartsWith(Patches.StrategicMergePatch, StringComparison.Ordinal))
                    throw ApiError.UnsupportedMediaType(contentType);
                var patchValidation = FieldValidation.Of(context, "PatchOptions");
                result = store.Update(type, ns, name, current =>
                {
                    var patched = AsObject(Patches.Apply(contentType, current, patchBody));
                    patchValidation.CheckPatched(type, patched);
                    return patched;
                }, subresource, dryRun);
                break;
            case ("PATCH", "scale") when type.HasScale:
                var scalePatch = await ReadTextAsync(context.Request);
                var scaleContentType = context.Request.ContentType ?? "";
                result = Scale.Set(store, type, ns, name, current => AsObject(Patches.Apply(scaleContentType, current, scalePatch)), dryRun);
                break;
            case ("PATCH" or "PUT", "resize") when type.StorageKey == ResourceCatalog.Pods.StorageKey:
                var resizeBody = await ReadTextAsync(context.Request);
                var resizeContentType = context.Request.ContentType ?? "";
                result = workloads.Resize(ns!, name, current => method == "PUT"
                    ? Parse(resizeBody)
                    : AsObject(Patches.Apply(resizeContentType, current, resizeBody)), dryRun);
                if (!dryRun)
                {
                    simulation.Resized((JsonObject)result);
                    result = store.Get(type, ns, name);
                }

                break;
            case ("POST", "eviction") when type.StorageKey == ResourceCatalog.Pods.StorageKey:
                await ReadTextAsync(context.Request);
                result = workloads.Evict(ns!, name, dryRun);
                code = 201;
                break;
            case ("DELETE", ""):
                var options = await ReadTextAsync(context.Request);
                var precondition = options.Length > 0 ? Parse(options)["preconditions"] : null;
                var (deleted, removed) = store.Delete(type, ns, name, dryRun,
                    precondition?["uid"]?.ToString() ?? precondition?["resourceVersion"]?.ToString());
                result = deleted;
                code = removed ? 200 : 202;
                break;
            default:
                throw ApiError.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        if (method != "GET")
            await workloads.ReconcileAsync(cancellation);
        if (wantsTable && result is JsonObject single && subresource.Length == 0)
            return (code, Tables.Build(type, [single], store.CurrentResourceVersion, store));
        return (code, result);
    }

    private async Task WatchAsync(HttpContext context, ResourceType type, string? ns, Func<JsonObject, bool> filter)
    {
        var timeout = int.TryParse(context.Request.Query["timeoutSeconds"], out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(30);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        stop.CancelAfter(timeout);
        // A streaming list (client-go's watch-list) gets the current objects and then the initial-events-end bookmark.
        var start = new WatchStart(context.Request.Query["resourceVersion"].ToString(), IsTrue(context.Request.Query["sendInitialEvents"]));
        var events = store.Watch(type, ns, filter, start, stop.Token);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.FlushAsync(stop.Token);
        try
        {
            await foreach (var change in events.ReadAllAsync(stop.Token))
                await WriteEventAsync(context, change.Type, change.Object);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            // timeoutSeconds elapsed: the watch ends normally, as on a real API server.
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string type, JsonObject obj)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj }.ToJsonString() + "\n";
        await context.Response.WriteAsync(line, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static Func<JsonObject, bool> Filter(ResourceType type, string? labelSelector, string? fieldSelector)
    {
        var labels = Selectors.ParseLabelSelector(labelSelector);
        var fields = Selectors.ParseFieldSelector(fieldSelector, type);
        return obj => labels(obj) && fields(obj);
    }

    private static JsonObject ListOf(ResourceType type, List<JsonObject> items, string resourceVersion) => new()
    {
        ["kind"] = type.ListKind,
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
        ["items"] = new JsonArray([.. items]),
    };

    private static bool IsTrue(string? value) => value is "true" or "1";

    private static async Task<string> ReadTextAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpRequest request)
    {
        // Only JSON is served; protobuf or CBOR bodies get 415, which makes client-go fall back to JSON.
        var contentType = request.ContentType ?? "application/json";
        if (!contentType.StartsWith("application/json", StringComparison.Ordinal) && !contentType.StartsWith("*/*", StringComparison.Ordinal))
            throw new ApiError(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json; got {contentType}");
        return Parse(await ReadTextAsync(request));
    }

    private static JsonObject Parse(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw ApiError.BadRequest("the request body must be a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiError.BadRequest($"the body of the request could not be decoded: {e.Message}");
        }
    }

    private static JsonObject ParseApplied(string body)
    {
        try
        {
            return YamlManifests.Parse(body) switch
            {
                [var single] => single,
                _ => throw ApiError.BadRequest("an apply patch must hold exactly one object"),
            };
        }
        catch (FormatException e)
        {
            throw ApiError.BadRequest($"error decoding YAML: {e.Message}");
        }
    }

    private static JsonObject AsObject(JsonNode node) =>
        node as JsonObject ?? throw ApiError.BadRequest("the patched object must be a JSON object");

    private static async Task WriteAsync(HttpContext context, int code, JsonNode body)
    {
        if (context.Response.HasStarted)
            return;
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static async Task WriteTextAsync(HttpContext context, string text)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }
}

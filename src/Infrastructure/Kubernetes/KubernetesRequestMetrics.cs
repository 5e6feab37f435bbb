using System.Globalization;
using Thoras.Domain.Telemetry;

namespace Thoras.Infrastructure.Kubernetes;

/// <summary>
/// Counts every request to the Kubernetes API server as <c>thoras_kubernetes_requests_total</c> by verb
/// (<c>get</c>, <c>list</c>, <c>watch</c>, <c>create</c>, <c>update</c>, <c>patch</c>, <c>delete</c>), resource
/// (<c>pods</c>, <c>pods/resize</c>, <c>aiscaletargets.thoras.ai</c>...) and status code, the way client-go's
/// <c>rest_client_requests_total</c> does. Names and namespaces never become labels.
/// </summary>
public sealed class KubernetesRequestMetrics : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (verb, resource) = Describe(request.Method, request.RequestUri);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            ThorasMetrics.KubernetesRequest(verb, resource, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            return response;
        }
        catch
        {
            ThorasMetrics.KubernetesRequest(verb, resource, "error");
            throw;
        }
    }

    /// <summary>The verb and the resource (qualified by its group unless core) a request acts on.</summary>
    public static (string Verb, string Resource) Describe(HttpMethod method, Uri? uri)
    {
        ArgumentNullException.ThrowIfNull(method);
        var segments = (uri?.AbsolutePath ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        string? group = null;
        int skip;
        if (segments is ["api", _, ..])
            skip = 2;
        else if (segments is ["apis", var g, _, ..])
            (group, skip) = (g, 3);
        else
            return (method.Method.ToLowerInvariant(), "other");

        var rest = segments[skip..];
        if (rest is ["namespaces", _, _, ..])
            rest = rest[2..];
        if (rest.Length == 0)
            return (method.Method.ToLowerInvariant(), "discovery");

        var resource = rest[0] + (group is null ? string.Empty : "." + group) + (rest.Length >= 3 ? "/" + rest[2] : string.Empty);
        var named = rest.Length >= 2;
        var watch = uri?.Query.Contains("watch=true", StringComparison.OrdinalIgnoreCase) == true;
        var verb = method.Method.ToUpperInvariant() switch
        {
            "GET" when watch => "watch",
            "GET" => named ? "get" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => named ? "delete" : "deletecollection",
            var other => other.ToLowerInvariant(),
        };
        return (verb, resource);
    }
}

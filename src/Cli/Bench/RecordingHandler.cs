using System.Diagnostics;

namespace Thoras.Cli.Bench;

/// <summary>
/// Times every Kubernetes API request of the client it is installed in, from sending to the last byte of the response
/// (the body is buffered inside the measured interval), and records it as <c>k8s METHOD resource</c>.
/// </summary>
public sealed class RecordingHandler(IoRecorder recorder) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response;
        }
        finally
        {
            recorder.Record(KindOf(request.Method.Method, request.RequestUri?.AbsolutePath ?? "/"), start, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>
    /// The kind of a Kubernetes request: method and resource (with subresource), marking collection reads as lists (a POST to a collection creates),
    /// e.g. <c>k8s GET pods (list)</c>, <c>k8s PATCH pods/resize</c>, <c>k8s PUT aiscaletargets/status</c>.
    /// </summary>
    public static string KindOf(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        // /api/v1/... or /apis/group/version/...
        var rest = segments.Length switch
        {
            >= 2 when segments[0] == "api" => segments[2..],
            >= 3 when segments[0] == "apis" => segments[3..],
            _ => [],
        };
        if (rest.Length >= 2 && rest[0] == "namespaces" && rest.Length != 2)
        {
            rest = rest[2..];
        }

        return rest.Length switch
        {
            0 => $"k8s {method} {path}",
            1 when method == "GET" => $"k8s {method} {rest[0]} (list)",
            1 => $"k8s {method} {rest[0]}",
            2 => $"k8s {method} {rest[0]}",
            _ => $"k8s {method} {rest[0]}/{rest[2]}",
        };
    }
}

using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using Thoras.Domain.Telemetry;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// Counts every request to Azure Storage (each retry too) as <c>thoras_storage_requests_total</c> by service
/// (<c>table</c>, <c>blob</c>, <c>queue</c>), operation (<c>read</c>, <c>insert</c>, <c>write</c>, <c>delete</c>,
/// <c>batch</c>) and status code. Table, container and row names never become labels.
/// </summary>
public sealed class StorageRequestMetrics(string service) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            ProcessNext(message, pipeline);
            Count(message, message.Response.Status.ToString(CultureInfo.InvariantCulture));
        }
        catch
        {
            Count(message, "error");
            throw;
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await ProcessNextAsync(message, pipeline);
            Count(message, message.Response.Status.ToString(CultureInfo.InvariantCulture));
        }
        catch
        {
            Count(message, "error");
            throw;
        }
    }

    /// <summary>The operation a request is: what it does, not what it names.</summary>
    public static string Operation(string method, string path) => method.ToUpperInvariant() switch
    {
        "GET" or "HEAD" => "read",
        "POST" when path.EndsWith("$batch", StringComparison.Ordinal) => "batch",
        "POST" => "insert",
        "DELETE" => "delete",
        _ => "write",
    };

    private void Count(HttpMessage message, string code) =>
        ThorasMetrics.StorageRequest(service, Operation(message.Request.Method.Method, message.Request.Uri.Path), code);
}

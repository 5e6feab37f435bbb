using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Thoras.Cli.Bench;

/// <summary>
/// Times every Azure Storage request (each attempt, response content included) of the client whose options it is
/// added to, and records it as <c>SERVICE METHOD resource</c>, e.g. <c>table GET Usage</c>, <c>blob GET models</c>.
/// </summary>
public sealed class RecordingPolicy(IoRecorder recorder, string service, string prefix) : HttpPipelinePolicy
{
    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var start = Stopwatch.GetTimestamp();
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            recorder.Record(KindOf(message), start, Stopwatch.GetTimestamp());
        }
    }

    /// <inheritdoc />
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var start = Stopwatch.GetTimestamp();
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            recorder.Record(KindOf(message), start, Stopwatch.GetTimestamp());
        }
    }

    private string KindOf(HttpMessage message) =>
        $"{service} {message.Request.Method} {Resource(message.Request.Uri.Path, prefix)}";

    /// <summary>
    /// The table or container a storage path names, without the account, the bench's name prefix, keys and blob names:
    /// <c>/devstoreaccount1/b12Usage(PartitionKey='x')</c> is <c>Usage</c>, <c>/devstoreaccount1/$batch</c> is <c>$batch</c>.
    /// </summary>
    public static string Resource(string path, string prefix)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(prefix);
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var name = segments.Length > 1 ? segments[1] : segments.Length == 1 ? segments[0] : "/";
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        name = paren >= 0 ? name[..paren] : name;
        if (prefix.Length > 0 && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && name.Length > prefix.Length)
        {
            name = name[prefix.Length..].TrimStart('-');
        }

        return name;
    }
}

using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Thoras.Cli.Tests.Telemetry;

/// <summary>
/// An OTLP/HTTP receiver (<c>http/protobuf</c>) on a free loopback port: it answers <c>POST /v1/metrics</c> and
/// <c>POST /v1/traces</c> as a collector does and decodes the metric names and spans it receives.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<string> _metrics = [];
    private readonly List<OtlpSpan> _spans = [];

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Endpoint => new(_app.Urls.First());

    public IReadOnlyList<string> MetricNames
    {
        get { lock (_metrics) return [.. _metrics]; }
    }

    public IReadOnlyList<OtlpSpan> Spans
    {
        get { lock (_spans) return [.. _spans]; }
    }

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/metrics", async (HttpContext context) => receiver.Add(await BodyAsync(context), receiver.AddMetrics, context));
        app.MapPost("/v1/traces", async (HttpContext context) => receiver.Add(await BodyAsync(context), receiver.AddSpans, context));
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<byte[]> BodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private IResult Add(byte[] body, Action<byte[]> decode, HttpContext context)
    {
        if (context.Request.ContentType != "application/x-protobuf")
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        decode(body);
        return Results.Bytes([], "application/x-protobuf");
    }

    // ExportMetricsServiceRequest: resource_metrics(1) > scope_metrics(2) > metrics(2) > name(1).
    private void AddMetrics(byte[] body)
    {
        var names = from resource in Protobuf.Messages(body, 1)
                    from scope in Protobuf.Messages(resource, 2)
                    from metric in Protobuf.Messages(scope, 2)
                    select Encoding.UTF8.GetString(Protobuf.Messages(metric, 1).First());
        lock (_metrics)
            _metrics.AddRange(names);
    }

    // ExportTraceServiceRequest: resource_spans(1) > scope_spans(2) > spans(2) > trace_id(1), span_id(2), parent_span_id(4), name(5).
    private void AddSpans(byte[] body)
    {
        var spans = from resource in Protobuf.Messages(body, 1)
                    from scope in Protobuf.Messages(resource, 2)
                    from span in Protobuf.Messages(scope, 2)
                    select new OtlpSpan(
                        Convert.ToHexString(Protobuf.Messages(span, 1).First()),
                        Convert.ToHexString(Protobuf.Messages(span, 2).First()),
                        Protobuf.Messages(span, 4).Select(Convert.ToHexString).FirstOrDefault(p => p.Length > 0),
                        Encoding.UTF8.GetString(Protobuf.Messages(span, 5).First()));
        lock (_spans)
            _spans.AddRange(spans);
    }

    /// <summary>Just enough of the protobuf wire format to walk length-delimited fields.</summary>
    private static class Protobuf
    {
        /// <summary>The payloads of every length-delimited field <paramref name="field"/> of a message.</summary>
        public static List<byte[]> Messages(byte[] message, int field)
        {
            var found = new List<byte[]>();
            var i = 0;
            while (i < message.Length)
            {
                var key = Varint(message, ref i);
                var (number, wire) = ((int)(key >> 3), (int)(key & 7));
                switch (wire)
                {
                    case 0: Varint(message, ref i); break;
                    case 1: i += 8; break;
                    case 5: i += 4; break;
                    case 2:
                        var length = (int)Varint(message, ref i);
                        if (number == field)
                            found.Add(message[i..(i + length)]);
                        i += length;
                        break;
                    default: throw new InvalidDataException($"wire type {wire} at byte {i}");
                }
            }

            return found;
        }

        private static ulong Varint(byte[] data, ref int i)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[i++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                    return value;
            }
        }
    }
}

/// <summary>One span as received: its trace, its id, its parent's id (null for a root) and its name.</summary>
public sealed record OtlpSpan(string TraceId, string SpanId, string? ParentSpanId, string Name);

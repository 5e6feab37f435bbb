using Thoras.Cli.Tests.Serve;
using Xunit;

namespace Thoras.Cli.Tests.Telemetry;

/// <summary>
/// <c>thoras serve</c> as a user runs it, with the standard OTLP variables naming a receiver on loopback: the
/// app's metrics and its traces (a tick span with a span per target below it, and a span per HTTP call) arrive within a minute.
/// </summary>
public sealed class ServeTelemetryTests
{
    private static readonly TimeSpan Arrival = TimeSpan.FromMinutes(1);

    private static readonly string[] Expected =
    [
        "thoras_scale_targets", "thoras_scaling_paused", "thoras_provisioning_ratio", "thoras_stage_duration_seconds",
        "thoras_step_duration_seconds", "thoras_kubernetes_requests_total", "thoras_storage_requests_total",
        "http.server.request.duration",
    ];

    [Fact]
    public async Task Serve_OtlpEndpointSet_MetricsAndTracesArriveWithinAMinute()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var serve = await ServeProcess.StartAsync(speedUp: 20, TimeSpan.FromMinutes(5), new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });

        using var http = new HttpClient { BaseAddress = serve.BaseAddress };
        http.DefaultRequestHeaders.Add("x-functions-key", serve.FunctionKey);
        using var listed = await http.GetAsync(new Uri("/api/targets", UriKind.Relative));

        var deadline = DateTime.UtcNow + Arrival;
        while (DateTime.UtcNow < deadline && !(HasMetrics(receiver) && HasTargetSpanUnderTick(receiver) && HasHttpSpan(receiver)))
            await Task.Delay(500);

        var why = $"metrics: {string.Join(", ", receiver.MetricNames.Distinct())}; spans: {string.Join(", ", receiver.Spans.Select(s => s.Name).Distinct())}";
        Assert.True(HasMetrics(receiver), "the app's metrics did not arrive within a minute; " + why);
        Assert.True(HasTargetSpanUnderTick(receiver), "no tick trace with a span per target arrived within a minute; " + why);
        Assert.True(listed.IsSuccessStatusCode, $"GET /api/targets answered {(int)listed.StatusCode}");
        Assert.True(HasHttpSpan(receiver), "no span of GET /api/targets arrived within a minute; " + why);
    }

    private static bool HasHttpSpan(OtlpReceiver receiver) => receiver.Spans.Any(s => s.Name == "GET /api/targets");

    private static bool HasMetrics(OtlpReceiver receiver) => Expected.All(receiver.MetricNames.Contains);

    private static bool HasTargetSpanUnderTick(OtlpReceiver receiver)
    {
        var spans = receiver.Spans;
        // Collect fans out: the per-target spans run under the batch's trace (queue CollectBatch), as under the Functions host.
        return spans.Where(s => s.Name is "timer Collect" or "queue CollectBatch" && s.ParentSpanId is null)
            .Any(tick => spans.Any(s => s.TraceId == tick.TraceId && s.ParentSpanId == tick.SpanId && s.Name == "collect demo/web"));
    }
}

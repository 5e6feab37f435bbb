using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Thoras.Domain.Events;
using Thoras.Domain.Targets;
using Thoras.Infrastructure.Kubernetes;
using Thoras.TestSupport.Kubernetes;
using Thoras.TestSupport.Telemetry;
using Xunit;

namespace Thoras.Infrastructure.Tests.Kubernetes;

public sealed class KubernetesEventRecorderTests(SandboxClusterFixture cluster) : IClassFixture<SandboxClusterFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 15, 12, 0, 0, TimeSpan.Zero));

    private KubernetesEventRecorder NewRecorder(IKubernetes? client = null) =>
        new(client ?? cluster.Client, _time, NullLogger<KubernetesEventRecorder>.Instance);

    private static TargetEvent Resized(string ns, string note = "Resized 2 pods in place") =>
        TargetEvent.Normal(new TargetKey(ns, "web"), "uid-web", EventReasons.ResizedInPlace, "Resize", note);

    private async Task<IList<k8s.Models.Eventsv1Event>> EventsAsync(string ns) =>
        (await cluster.Client.EventsV1.ListNamespacedEventAsync(ns)).Items;

    [Fact]
    public async Task RecordAsync_SameEventRepeated_OneEventWhoseSeriesCountsEveryRepeat()
    {
        var ns = await cluster.NewNamespaceAsync();
        var recorder = NewRecorder();

        for (var i = 0; i < 100; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await recorder.RecordAsync(Resized(ns, $"Resized pod {i}"), CancellationToken.None);
        }

        // The last repeats are written with the next event recorded once the refresh interval has passed.
        _time.Advance(KubernetesEventRecorder.SeriesRefresh);
        await recorder.RecordAsync(Resized(ns) with { Reason = EventReasons.Evicted, Action = "Evict" }, CancellationToken.None);

        var resized = Assert.Single(await EventsAsync(ns), e => e.Reason == EventReasons.ResizedInPlace);
        Assert.Equal(100, resized.Series.Count);
        Assert.Equal("Resized pod 0", resized.Note);
    }

    [Fact]
    public async Task RecordAsync_RepeatAfterTheSeriesEnded_StartsANewEvent()
    {
        var ns = await cluster.NewNamespaceAsync();
        var recorder = NewRecorder();
        await recorder.RecordAsync(Resized(ns), CancellationToken.None);

        _time.Advance(KubernetesEventRecorder.SeriesEnd + TimeSpan.FromSeconds(1));
        await recorder.RecordAsync(Resized(ns), CancellationToken.None);

        Assert.Equal(2, (await EventsAsync(ns)).Count);
    }

    [Fact]
    public async Task RecordAsync_WorkloadChanged_RecordsOnTheTargetAndOnTheWorkload()
    {
        var ns = await cluster.NewNamespaceAsync();
        var recorder = NewRecorder();

        await recorder.RecordAsync(Resized(ns) with { Workload = new WorkloadReference("apps/v1", "Deployment", "web") }, CancellationToken.None);

        var events = await EventsAsync(ns);
        Assert.Equal(["AIScaleTarget/web -> Deployment/web", "Deployment/web -> AIScaleTarget/web"],
            events.Select(e => $"{e.Regarding.Kind}/{e.Regarding.Name} -> {e.Related.Kind}/{e.Related.Name}").Order(StringComparer.Ordinal));
        Assert.All(events, e => Assert.Equal((KubernetesEventRecorder.ReportingController, "Normal", "Resize"), (e.ReportingController, e.Type, e.Action)));
    }

    [Fact]
    public async Task RecordAsync_ManyDifferentEventsOnOneTarget_WritesNoMoreThanTheBurst()
    {
        var ns = await cluster.NewNamespaceAsync();
        var recorder = NewRecorder();

        for (var i = 0; i < KubernetesEventRecorder.Burst + 10; i++)
            await recorder.RecordAsync(Resized(ns) with { Action = "Resize" + i }, CancellationToken.None);

        Assert.Equal(KubernetesEventRecorder.Burst, (await EventsAsync(ns)).Count);
    }

    [Fact]
    public async Task RecordAsync_ApiServerRefuses_DoesNotThrow()
    {
        var ns = await cluster.NewNamespaceAsync();
        cluster.Sandbox.Faults.FailNext("POST", $"/apis/events.k8s.io/v1/namespaces/{ns}/events", 1, 503);
        var recorder = NewRecorder();

        await recorder.RecordAsync(Resized(ns), CancellationToken.None);

        Assert.Empty(await EventsAsync(ns));
    }

    [Fact]
    public async Task RecordAsync_SameEventThreeTimes_CountsCreatedThenUpdatedThenAggregated()
    {
        var ns = await cluster.NewNamespaceAsync();
        var recorder = NewRecorder();
        using var metrics = new MetricReader("thoras_kubernetes_events_total");

        for (var i = 0; i < 3; i++)
            await recorder.RecordAsync(Resized(ns) with { Reason = "CountedResize" }, CancellationToken.None);

        Assert.Equal(
            ["reason=CountedResize,outcome=created", "reason=CountedResize,outcome=updated", "reason=CountedResize,outcome=aggregated"],
            metrics.Of("thoras_kubernetes_events_total", "reason=CountedResize,").Select(m => m.Labels));
    }

    [Fact]
    public async Task RecordAsync_PastTheBurstAndRefused_CountsRateLimitedAndFailed()
    {
        var ns = await cluster.NewNamespaceAsync();
        cluster.Sandbox.Faults.FailNext("POST", $"/apis/events.k8s.io/v1/namespaces/{ns}/events", 1, 503);
        var recorder = NewRecorder();
        using var metrics = new MetricReader("thoras_kubernetes_events_total");

        for (var i = 0; i < KubernetesEventRecorder.Burst + 1; i++)
            await recorder.RecordAsync(Resized(ns) with { Reason = "LimitedResize", Action = "Resize" + i }, CancellationToken.None);

        var outcomes = metrics.Of("thoras_kubernetes_events_total", "reason=LimitedResize,").Select(m => m.Labels).ToList();
        Assert.Equal(1, outcomes.Count(o => o.EndsWith("outcome=failed", StringComparison.Ordinal)));
        Assert.Equal(KubernetesEventRecorder.Burst - 1, outcomes.Count(o => o.EndsWith("outcome=created", StringComparison.Ordinal)));
        Assert.Equal(1, outcomes.Count(o => o.EndsWith("outcome=rate_limited", StringComparison.Ordinal)));
    }
}

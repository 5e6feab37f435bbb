using System.Net;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Thoras.Domain.Events;
using Thoras.Domain.Targets;
using Thoras.Infrastructure.Kubernetes;
using Xunit;

namespace Thoras.Cli.Tests.Targets;

/// <summary>The Kubernetes Events of a revert and an unenroll as the sandbox API server stores them, and repeats as the real kubectl shows them.</summary>
public sealed class TargetEventsTests(TargetApiFixture app) : IClassFixture<TargetApiFixture>
{
    private async Task<string> AppliedAsync(bool horizontalFloor)
    {
        var ns = await app.NewNamespaceAsync();
        await app.SeedDeploymentAsync(ns);
        await app.SeedHpaAsync(ns, minReplicas: 2);
        await app.CreateTargetAsync(ns, verticalMode: "autonomous", horizontalMode: "recommendation");
        await app.SyncTickAsync();
        var key = new TargetKey(ns, "web");
        await app.ApplyVerticalAsync(key);
        if (horizontalFloor)
            await app.ApplyHorizontalAsync(key, original: 2, floor: 5);
        return ns;
    }

    private async Task<IList<Eventsv1Event>> EventsAsync(string ns) =>
        (await app.Cluster.EventsV1.ListNamespacedEventAsync(ns)).Items;

    [Fact]
    public async Task Delete_AppliedTarget_RecordsTheRevertOnTheWorkloadAndTheHpaAndUnenrolledOnTheTarget()
    {
        var ns = await AppliedAsync(horizontalFloor: true);

        var response = await app.Http.DeleteAsync(new Uri($"/api/targets/{ns}/web", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = (await EventsAsync(ns)).Select(e => (e.Reason, e.Regarding.Kind, e.Regarding.Name)).ToList();
        Assert.Contains((EventReasons.RestartedToRevert, "AIScaleTarget", "web"), events);
        Assert.Contains((EventReasons.RestartedToRevert, "Deployment", "web"), events);
        Assert.Contains((EventReasons.HpaFloorRestored, "HorizontalPodAutoscaler", "web"), events);
        Assert.Contains((EventReasons.Unenrolled, "AIScaleTarget", "web"), events);
    }

    [Fact]
    public async Task PutMode_VerticalToRecommendation_RecordsRestartedToRevertOnly()
    {
        var ns = await AppliedAsync(horizontalFloor: false);

        var response = await app.PutModeAsync(ns, "web", new { direction = "vertical", mode = "recommendation" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var onTarget = (await EventsAsync(ns)).Where(e => e.Regarding.Kind == "AIScaleTarget").Select(e => e.Reason).ToList();
        Assert.Equal([EventReasons.RestartedToRevert], onTarget);
    }

    [Fact]
    public async Task RecordAsync_SameResizeHundredTimes_KubectlShowsOneEventCountedHundredOnTheTargetAndTheDeployment()
    {
        var ns = await app.NewNamespaceAsync();
        await app.SeedDeploymentAsync(ns);
        var uid = await app.CreateTargetAsync(ns);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(5));
        var recorder = new KubernetesEventRecorder(app.Cluster, time, NullLogger<KubernetesEventRecorder>.Instance);
        var resized = TargetEvent.Normal(new TargetKey(ns, "web"), uid, EventReasons.ResizedInPlace, "Resize", "Resized 2 pod(s) in place to suggestion s1.")
            with { Workload = new WorkloadReference("apps/v1", "Deployment", "web") };
        for (var i = 0; i < 100; i++)
        {
            time.Advance(TimeSpan.FromSeconds(2));
            await recorder.RecordAsync(resized, CancellationToken.None);
        }

        // The last repeats are written with the next event recorded once the refresh interval has passed.
        time.Advance(KubernetesEventRecorder.SeriesRefresh);
        await recorder.RecordAsync(resized with { Reason = EventReasons.Evicted, Action = "Evict", Note = "Evicted 1 pod(s)." }, CancellationToken.None);

        var wide = await app.KubectlOkAsync("get", "events", "-n", ns, "-o", "wide");
        var described = await app.KubectlOkAsync("describe", "ast", "web", "-n", ns);
        var resizedLines = wide.Split('\n').Where(l => l.Contains(EventReasons.ResizedInPlace, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, resizedLines.Count);
        Assert.Single(resizedLines, l => Regex.IsMatch(l, @"\sNormal\s+ResizedInPlace\s+aiscaletarget/web\s.*\s100\s+\S+$"));
        Assert.Single(resizedLines, l => Regex.IsMatch(l, @"\sNormal\s+ResizedInPlace\s+deployment/web\s.*\s100\s+\S+$"));
        Assert.Matches(@"(?m)^\s+Normal\s+ResizedInPlace\s+\S+ \(x100 over \S+\)\s+thoras\.ai/thoras-functions\s+Resized 2 pod\(s\) in place to suggestion s1\.$", described);
    }
}

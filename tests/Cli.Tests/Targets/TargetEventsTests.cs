using System.Net;
using k8s;
using k8s.Models;
using Thoras.Domain.Events;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Cli.Tests.Targets;

/// <summary>The Kubernetes Events of a revert and an unenroll, as the sandbox API server stores them.</summary>
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
}

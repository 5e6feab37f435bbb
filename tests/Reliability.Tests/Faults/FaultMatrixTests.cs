using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Thoras.Domain.Apply;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;
using Thoras.Reliability.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Thoras.Reliability.Tests.Faults;

/// <summary>
/// The fault matrix: each operation (mode switch, unenroll, the sync step's adoption of a <c>kubectl edit</c>, the
/// apply stage) is first run clean while every Kubernetes and Storage call it makes is recorded; then, once per
/// distinct call and fault (a 500, a 429 or 503 with <c>Retry-After</c>, a 409, a slow answer, and a crash right
/// after the call took effect), it is run again on a fresh target with that fault injected, followed by what
/// production does next (the caller retries once, a sync tick, an apply tick). The invariants are then checked:
/// the target converged, no audit record is lost or duplicated, the workload restarted at most once, nothing was
/// applied twice or while paused.
/// </summary>
public sealed class FaultMatrixTests : IAsyncLifetime
{
    private readonly ReliabilityApp _app = new();
    private readonly ITestOutputHelper _output;

    public FaultMatrixTests(ITestOutputHelper output) => _output = output;

    private enum Fault
    {
        Error500,
        Throttled,
        Conflict,
        Slow,
        CrashAfterCommit,
    }

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public Task ModeSwitch_FaultAtEveryCall_ConvergesWithOneAuditRecordAndAtMostOneRestart() =>
        RunMatrixAsync(
            "mode switch",
            SetUpAppliedAsync,
            async ns => (await _app.PutModeAsync(ns, "vertical", "recommendation", "matrix")).StatusCode,
            async (ns, generation) =>
            {
                await AssertConvergedAsync(ns, "recommendation");
                Assert.Equal(1, (await _app.AuditAsync($"{ns}/web")).Count(r => r.Action == "mode-change" && r.Actor == "matrix"));
                Assert.InRange(await GenerationAsync(ns) - generation, 1, 1);
            });

    [Fact]
    public Task Unenroll_FaultAtEveryCall_FinishesWithOneAuditRecord() =>
        RunMatrixAsync(
            "unenroll",
            SetUpAppliedAsync,
            async ns =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri($"/api/targets/{ns}/web", UriKind.Relative)) { Content = JsonContent.Create(new { actor = "matrix" }) };
                return (await _app.Http.SendAsync(request)).StatusCode;
            },
            async (ns, generation) =>
            {
                Assert.Null(await _app.ReadTargetAsync(ns));
                Assert.Null(await _app.TargetRowAsync(ns));
                Assert.Equal(1, (await _app.AuditAsync($"{ns}/web")).Count(r => r.Action == "unenroll"));
                Assert.InRange(await GenerationAsync(ns) - generation, 0, 1);
            });

    [Fact]
    public Task SyncAdoption_FaultAtEveryCall_AdoptsTheEditOnceAsCluster() =>
        RunMatrixAsync(
            "sync adoption",
            async ns =>
            {
                var generation = await SetUpAppliedAsync(ns);
                var edit = new V1Patch("""{"spec":{"vertical":{"mode":"recommendation"}}}""", V1Patch.PatchType.MergePatch);
                await _app.Cluster.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(edit, "thoras.ai", "v1", ns, "aiscaletargets", "web");
                return generation;
            },
            async _ =>
            {
                var failures = await _app.SyncTickAsync();
                return failures.Count == 0 ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable;
            },
            async (ns, generation) =>
            {
                await AssertConvergedAsync(ns, "recommendation");
                Assert.Equal(1, (await _app.AuditAsync($"{ns}/web")).Count(r => r.Action == "mode-change" && r.Actor == "cluster"));
                Assert.InRange(await GenerationAsync(ns) - generation, 1, 2);
            });

    [Fact]
    public Task Apply_FaultAtEveryCall_AppliesTheSuggestionOnceAndConverges() =>
        RunMatrixAsync(
            "apply",
            async ns =>
            {
                await _app.SeedTargetAsync(ns, horizontalMode: null);
                await _app.SyncTickAsync();
                await PublishAsync(ns, "400m");
                return await GenerationAsync(ns);
            },
            async _ =>
            {
                try
                {
                    var pass = await _app.Services.GetRequiredService<ApplyStage>().RunOnceAsync(CancellationToken.None);
                    return pass.Count(ApplyOutcome.Failed) == 0 ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable;
                }
                catch (k8s.Autorest.HttpOperationException)
                {
                    // The tick failed as a whole (its target list could not be read); the timer runs it again.
                    return HttpStatusCode.ServiceUnavailable;
                }
            },
            async (ns, generation) =>
            {
                await _app.Services.GetRequiredService<ApplyStage>().RunOnceAsync(CancellationToken.None);
                var pods = (await _app.Cluster.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=web")).Items.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
                Assert.NotEmpty(pods);
                Assert.All(pods, p => Assert.Equal("400m", p.Spec.Containers.Single().Resources.Requests["cpu"].ToString()));
                Assert.Equal(generation, await GenerationAsync(ns));
            });

    [Fact]
    public async Task Apply_WhilePaused_AppliesNothingEvenWhenThePauseStateFails()
    {
        var ns = await _app.NewNamespaceAsync();
        await _app.SeedTargetAsync(ns, horizontalMode: null);
        await _app.SyncTickAsync();
        await PublishAsync(ns, "400m");
        using (await _app.Http.PostAsJsonAsync(new Uri("/api/system/pause", UriKind.Relative), new { reason = "matrix" }))
        {
        }

        var stage = _app.Services.GetRequiredService<ApplyStage>();
        await stage.RunOnceAsync(CancellationToken.None);
        _app.TableProxy.FailNext("System", 500, count: 50);
        await stage.RunOnceAsync(CancellationToken.None);
        _app.TableProxy.Clear();
        var pods = (await _app.Cluster.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=web")).Items;
        using (await _app.Http.PostAsJsonAsync(new Uri("/api/system/resume", UriKind.Relative), new { }))
        {
        }

        Assert.All(pods, p => Assert.Equal("250m", p.Spec.Containers.Single().Resources.Requests["cpu"].ToString()));
    }

    private async Task RunMatrixAsync(
        string operation,
        Func<string, Task<long>> setUp,
        Func<string, Task<HttpStatusCode>> act,
        Func<string, long, Task> check)
    {
        var clean = await _app.NewNamespaceAsync();
        await setUp(clean);
        _app.Sandbox.Faults.StartRecording();
        _app.TableProxy.StartRecording();
        _app.BlobProxy.StartRecording();
        Assert.Equal(HttpStatusCode.OK, await act(clean));
        var kubernetesCalls = _app.Sandbox.Faults.StopRecording().Select(c => (c.Method, Path: c.Path.Replace(clean, "{ns}", StringComparison.Ordinal))).Distinct().ToList();
        var storageCalls = _app.TableProxy.StopRecording().Concat(_app.BlobProxy.StopRecording()).Select(c => c.Replace(clean, "{ns}", StringComparison.Ordinal)).Distinct().ToList();

        var runs = 0;
        var failures = new List<string>();
        foreach (var (method, path) in kubernetesCalls)
        {
            // A 409 answers only writes (the API server never refuses a read with a conflict).
            foreach (var fault in Enum.GetValues<Fault>().Where(f => f != Fault.Conflict || method != "GET"))
            {
                runs++;
                await RunOnceAsync($"{operation}: {fault} on {method} {path}", setUp, act, check, ns => InjectKubernetes(method, path.Replace("{ns}", ns, StringComparison.Ordinal), fault), failures);
            }
        }

        foreach (var call in storageCalls)
        {
            // A conflict (412) answers only conditional writes; an insert that meets its own row is the retried-after-commit case.
            foreach (var fault in Enum.GetValues<Fault>().Where(f => f != Fault.Slow && (f != Fault.Conflict || call.StartsWith("PUT", StringComparison.Ordinal) || call.StartsWith("MERGE", StringComparison.Ordinal) || call.StartsWith("DELETE", StringComparison.Ordinal))))
            {
                runs++;
                await RunOnceAsync($"{operation}: {fault} on storage {call}", setUp, act, check, ns => InjectStorage(call.Replace("{ns}", ns, StringComparison.Ordinal), fault), failures);
            }
        }

        _output.WriteLine($"{operation}: {kubernetesCalls.Count} Kubernetes and {storageCalls.Count} Storage calls, {runs} faulted runs, {runs - failures.Count} survived");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private async Task RunOnceAsync(
        string name, Func<string, Task<long>> setUp, Func<string, Task<HttpStatusCode>> act, Func<string, long, Task> check, Action<string> inject, List<string> failures)
    {
        var ns = await _app.NewNamespaceAsync();
        var generation = await setUp(ns);
        inject(ns);
        var first = await act(ns);
        ClearFaults();
        try
        {
            if ((int)first >= 500 && first != HttpStatusCode.ServiceUnavailable)
                throw new InvalidOperationException($"answered {(int)first}");
            if (first != HttpStatusCode.OK)
                await act(ns);
            await _app.SyncTickAsync();
            await check(ns, generation);
        }
        catch (Exception ex) when (ex is Xunit.Sdk.XunitException or InvalidOperationException)
        {
            failures.Add($"{name} (first answer {(int)first}): {ex.Message}");
        }
    }

    private void InjectKubernetes(string method, string path, Fault fault)
    {
        var faults = _app.Sandbox.Faults;
        switch (fault)
        {
            case Fault.Error500: faults.FailNext(method, path, 1, 500); break;
            case Fault.Throttled: faults.FailNext(method, path, 1, 429); break;
            case Fault.Conflict: faults.FailNext(method, path, 1, 409); break;
            case Fault.Slow: faults.HangNext(method, path, 1, TimeSpan.FromSeconds(2)); break;
            case Fault.CrashAfterCommit: faults.FailNextAfterCommit(method, path, 1, 500); break;
        }
    }

    private void InjectStorage(string call, Fault fault)
    {
        var proxy = call.Contains("/devstoreaccount1/" + _app.Prefix.ToLowerInvariant(), StringComparison.Ordinal) && !call.Contains("Targets", StringComparison.Ordinal) && !call.Contains("Audit", StringComparison.Ordinal) && !call.Contains("System", StringComparison.Ordinal)
            ? _app.BlobProxy
            : _app.TableProxy;
        switch (fault)
        {
            case Fault.Error500: proxy.FailNext(call, 500); break;
            case Fault.Throttled: proxy.FailNext(call, 503); break;
            case Fault.Conflict: proxy.FailNext(call, 412); break;
            case Fault.CrashAfterCommit: proxy.FailNextAfterCommit(call); break;
        }
    }

    private void ClearFaults()
    {
        _app.Sandbox.Faults.Clear();
        _app.TableProxy.Clear();
        _app.BlobProxy.Clear();
    }

    /// <summary>An enrolled autonomous target whose pods run an applied suggestion (its baseline recorded); returns the Deployment's generation.</summary>
    private async Task<long> SetUpAppliedAsync(string ns)
    {
        await _app.SeedTargetAsync(ns);
        await _app.SyncTickAsync();
        var store = _app.Services.GetRequiredService<IEnrollmentStore>();
        var key = new TargetKey(ns, "web");
        var record = (await store.GetAsync(key, CancellationToken.None))!;
        await store.SaveAsync(record with { Vertical = new VerticalBaseline("s1", DateTimeOffset.UtcNow, [], []) }, CancellationToken.None);
        return await GenerationAsync(ns);
    }

    private async Task PublishAsync(string ns, string cpu)
    {
        var status = JsonNode.Parse($$$"""
            {"latestSuggestion":{"suggestionUID":"{{{Guid.NewGuid()}}}","start":"{{{DateTimeOffset.UtcNow:O}}}","end":"{{{DateTimeOffset.UtcNow.AddMinutes(15):O}}}","hasEnoughDataToScale":true,
             "resourceRecommendations":[{"containerName":"app","requests":{"cpu":"{{{cpu}}}"}}]}}
            """)!;
        var target = (await _app.ReadTargetAsync(ns))!;
        target["status"] = status;
        await _app.Cluster.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<JsonElement>(target, "thoras.ai", "v1", ns, "aiscaletargets", "web");
    }

    private async Task<long> GenerationAsync(string ns) =>
        (await _app.Cluster.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Metadata.Generation ?? 0;

    private async Task AssertConvergedAsync(string ns, string verticalMode)
    {
        var ast = (await _app.ReadTargetAsync(ns))!;
        var row = (await _app.TargetRowAsync(ns))!;
        Assert.Equal(verticalMode, ast["spec"]!["vertical"]!["mode"]!.ToString());
        Assert.Equal(verticalMode, row.GetString("VerticalMode"));
        Assert.Null(row.GetString("Pending"));
        Assert.Null(row.GetString("Outbox"));
        Assert.Null(row.GetString("Vertical"));
    }
}

using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Thoras.Sandbox.Tests.Support;

namespace Thoras.Sandbox.Tests.Events;

/// <summary>The events.k8s.io/v1 API and its core v1 view, over HTTP with the official client.</summary>
public sealed class EventsApiTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture fixture;
    private readonly IKubernetes client;

    public EventsApiTests(SandboxFixture fixture)
    {
        this.fixture = fixture;
        client = fixture.Client;
    }

    private static Eventsv1Event Recorded(string ns, string name = "web-ast.1", string regarding = "web-ast", string note = "Resized web") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        EventTime = new DateTime(2026, 1, 5, 12, 0, 0, DateTimeKind.Utc),
        ReportingController = "thoras.ai/scaler",
        ReportingInstance = "thoras-functions",
        Action = "Resize",
        Reason = "Resized",
        Type = "Normal",
        Note = note,
        Regarding = new V1ObjectReference { ApiVersion = "thoras.ai/v1", Kind = "AIScaleTarget", Name = regarding, NamespaceProperty = ns, Uid = "u-1" },
    };

    private static async Task<JsonObject> StatusOfAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        return Crds.StatusBody(error);
    }

    [Fact]
    public async Task CreateEvent_EventsV1_IsListedByTheCoreApiWithItsFieldsMapped()
    {
        var ns = await fixture.NewNamespaceAsync();

        await client.EventsV1.CreateNamespacedEventAsync(Recorded(ns), ns);

        var core = Assert.Single((await client.CoreV1.ListNamespacedEventAsync(ns)).Items);
        Assert.Equal(("AIScaleTarget", "web-ast", "Resized web", "thoras.ai/scaler", "Resize"),
            (core.InvolvedObject.Kind, core.InvolvedObject.Name, core.Message, core.ReportingComponent, core.Action));
    }

    [Fact]
    public async Task CreateEvent_Core_IsReadByEventsV1WithItsFieldsMapped()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "web.1" },
            InvolvedObject = new V1ObjectReference { Kind = "Deployment", Name = "web", NamespaceProperty = ns },
            Reason = "Scaled",
            Message = "scaled up",
            Source = new V1EventSource { Component = "deployment-controller" },
            Count = 3,
            Type = "Normal",
        }, ns);

        var read = await client.EventsV1.ReadNamespacedEventAsync("web.1", ns);

        Assert.Equal(("web", "scaled up", "deployment-controller", 3), (read.Regarding.Name, read.Note, read.DeprecatedSource.Component, read.DeprecatedCount));
    }

    [Fact]
    public async Task CreateEvent_EventsV1WithoutReportingFields_Is422WithTheFieldCauses()
    {
        var ns = await fixture.NewNamespaceAsync();
        var incomplete = Recorded(ns);
        incomplete.ReportingController = null;
        incomplete.Action = null;

        var status = await StatusOfAsync(() => client.EventsV1.CreateNamespacedEventAsync(incomplete, ns));

        Assert.Equal(422, status["code"]!.GetValue<int>());
        Assert.StartsWith("Event.events.k8s.io \"web-ast.1\" is invalid: [reportingController: Required value, ", status["message"]!.ToString(), StringComparison.Ordinal);
        var causes = status["details"]!["causes"]!.AsArray().Select(c => (c!["reason"]!.ToString(), c["field"]!.ToString())).ToList();
        Assert.Contains(("FieldValueRequired", "reportingController"), causes);
        Assert.Contains(("FieldValueRequired", "action"), causes);
    }

    [Fact]
    public async Task CreateEvent_EventsV1WithDeprecatedCount_Is422NeedsToBeUnset()
    {
        var ns = await fixture.NewNamespaceAsync();
        var legacy = Recorded(ns);
        legacy.DeprecatedCount = 2;

        var status = await StatusOfAsync(() => client.EventsV1.CreateNamespacedEventAsync(legacy, ns));

        Assert.Equal("Event.events.k8s.io \"web-ast.1\" is invalid: count: Invalid value: \"\": needs to be unset", status["message"]!.ToString());
    }

    [Fact]
    public async Task CreateEvent_CoreForAnotherNamespacesObject_Is422()
    {
        var ns = await fixture.NewNamespaceAsync();

        var status = await StatusOfAsync(() => client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "web.1" },
            InvolvedObject = new V1ObjectReference { Kind = "Deployment", Name = "web", NamespaceProperty = "elsewhere" },
            Reason = "Scaled",
        }, ns));

        Assert.Equal("Event \"web.1\" is invalid: involvedObject.namespace: Invalid value: \"elsewhere\": does not match event.namespace", status["message"]!.ToString());
    }

    [Fact]
    public async Task PatchEvent_EventsV1Series_CountsTheRepeatAndBumpsResourceVersion()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await client.EventsV1.CreateNamespacedEventAsync(Recorded(ns), ns);

        // What client-go's event recorder sends when an event repeats.
        var patched = await client.EventsV1.PatchNamespacedEventAsync(
            Patch.Strategic("""{"series":{"count":2,"lastObservedTime":"2026-01-05T12:05:00.000000Z"}}"""), created.Metadata.Name, ns);

        Assert.Equal(2, patched.Series.Count);
        Assert.True(long.Parse(patched.Metadata.ResourceVersion) > long.Parse(created.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task PatchEvent_EventsV1Note_Is422Immutable()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.EventsV1.CreateNamespacedEventAsync(Recorded(ns), ns);

        var status = await StatusOfAsync(() => client.EventsV1.PatchNamespacedEventAsync(Patch.Merge("""{"note":"other"}"""), "web-ast.1", ns));

        Assert.Equal("Event.events.k8s.io \"web-ast.1\" is invalid: message: Invalid value: \"other\": field is immutable", status["message"]!.ToString());
    }

    [Fact]
    public async Task ReplaceEvent_StaleResourceVersion_Is409()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await client.EventsV1.CreateNamespacedEventAsync(Recorded(ns), ns);
        await client.EventsV1.PatchNamespacedEventAsync(Patch.Merge("""{"series":{"count":2,"lastObservedTime":"2026-01-05T12:05:00.000000Z"}}"""), created.Metadata.Name, ns);
        created.Series = new Eventsv1EventSeries { Count = 3, LastObservedTime = new DateTime(2026, 1, 5, 12, 10, 0, DateTimeKind.Utc) };

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.EventsV1.ReplaceNamespacedEventAsync(created, created.Metadata.Name, ns));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
    }

    [Fact]
    public async Task ListEvents_EventsV1FieldSelectorOnRegarding_SelectsTheObjectsEvents()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.EventsV1.CreateNamespacedEventAsync(Recorded(ns, "a.1", regarding: "a"), ns);
        await client.EventsV1.CreateNamespacedEventAsync(Recorded(ns, "b.1", regarding: "b"), ns);

        var selected = await client.EventsV1.ListNamespacedEventAsync(ns, fieldSelector: "regarding.name=b,reportingController=thoras.ai/scaler");

        Assert.Equal("b.1", Assert.Single(selected.Items).Metadata.Name);
    }

    [Fact]
    public async Task ListEvents_CoreFieldSelectorOnInvolvedObject_SelectsTheObjectsEvents()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.EventsV1.CreateNamespacedEventAsync(Recorded(ns, "a.1", regarding: "a"), ns);
        await client.EventsV1.CreateNamespacedEventAsync(Recorded(ns, "b.1", regarding: "b"), ns);

        var selected = await client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.name=a,involvedObject.kind=AIScaleTarget,source=thoras.ai/scaler");

        Assert.Equal("a.1", Assert.Single(selected.Items).Metadata.Name);
    }

    [Fact]
    public async Task ListEvents_UnsupportedFieldLabel_Is400()
    {
        var ns = await fixture.NewNamespaceAsync();

        var status = await StatusOfAsync(() => client.EventsV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.name=a"));

        Assert.Equal((400, "field label not supported: involvedObject.name"), (status["code"]!.GetValue<int>(), status["message"]!.ToString()));
    }

    [Fact]
    public async Task WatchEvents_EventsV1_StreamsAddedThenModifiedInTheEventsV1Form()
    {
        var ns = await fixture.NewNamespaceAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var list = await client.EventsV1.ListNamespacedEventAsync(ns);
        var created = await client.EventsV1.CreateNamespacedEventAsync(Recorded(ns), ns);
        await client.EventsV1.PatchNamespacedEventAsync(Patch.Strategic("""{"series":{"count":2,"lastObservedTime":"2026-01-05T12:05:00.000000Z"}}"""), created.Metadata.Name, ns);
        var seen = new List<(WatchEventType, string?, int?)>();

        // Started after the writes, from the list's resourceVersion: the changes since are replayed.
        await foreach (var (type, item) in client.EventsV1.WatchListNamespacedEventAsync(ns, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: stop.Token))
        {
            seen.Add((type, item.Note, item.Series?.Count));
            if (seen.Count == 2)
                break;
        }

        Assert.Equal([(WatchEventType.Added, "Resized web", null), (WatchEventType.Modified, "Resized web", 2)], seen);
    }

    [Fact]
    public async Task Watch_ResourceVersionOlderThanTheHistory_EndsWith410Expired()
    {
        var ns = await fixture.NewNamespaceAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var http = new HttpClient { BaseAddress = fixture.Sandbox.BaseUrl };

        var body = await http.GetStringAsync($"/apis/events.k8s.io/v1/namespaces/{ns}/events?watch=true&resourceVersion=1", stop.Token);

        var error = JsonNode.Parse(body.Trim())!;
        Assert.Equal(("ERROR", 410, "Expired"), (error["type"]!.ToString(), error["object"]!["code"]!.GetValue<int>(), error["object"]!["reason"]!.ToString()));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(2, true)]
    public async Task Watch_FromAVersionBeyondTheNewestHundredChanges_Is410OnlyOnceTheyAreOlderThanTheFreshness(int minutesLater, bool expired)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = time });
        using var client = sandbox.CreateClient();
        await sandbox.Seed.NamespaceAsync("demo");
        var start = (await client.EventsV1.ListNamespacedEventAsync("demo")).Metadata.ResourceVersion;
        for (var i = 0; i < 150; i++)
            await client.EventsV1.CreateNamespacedEventAsync(Recorded("demo", $"e.{i}"), "demo");

        // 150 changes, more than the 100 the watch history keeps however old (ObjectStore.HistoryMinimum); one more
        // after the wait: the history is trimmed as changes come in.
        time.Advance(TimeSpan.FromMinutes(minutesLater));
        await client.EventsV1.CreateNamespacedEventAsync(Recorded("demo", "last.1"), "demo");
        using var http = new HttpClient { BaseAddress = sandbox.BaseUrl };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = await http.GetAsync(new Uri($"/apis/events.k8s.io/v1/namespaces/demo/events?watch=true&resourceVersion={start}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, stop.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
        var first = JsonNode.Parse((await reader.ReadLineAsync(stop.Token))!)!;

        // Fresh, all 151 changes are replayed from the oldest; past the freshness only the newest 100 are kept.
        Assert.Equal(expired ? ("ERROR", "Expired") : ("ADDED", "e.0"),
            (first["type"]!.ToString(), expired ? first["object"]!["reason"]!.ToString() : first["object"]!["metadata"]!["name"]!.ToString()));
    }

    [Fact]
    public async Task Event_NotWrittenForItsTimeToLive_IsDeleted()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = time, EventTtl = TimeSpan.FromMinutes(10) });
        using var shortLived = sandbox.CreateClient();
        await sandbox.Seed.NamespaceAsync("demo");
        await shortLived.EventsV1.CreateNamespacedEventAsync(Recorded("demo", "old.1"), "demo");
        time.Advance(TimeSpan.FromMinutes(6));
        await shortLived.EventsV1.CreateNamespacedEventAsync(Recorded("demo", "new.1"), "demo");

        time.Advance(TimeSpan.FromMinutes(5));
        var left = await shortLived.EventsV1.ListNamespacedEventAsync("demo");

        Assert.Equal("new.1", Assert.Single(left.Items).Metadata.Name);
    }
}

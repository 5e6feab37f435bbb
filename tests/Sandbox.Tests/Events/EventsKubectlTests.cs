using k8s;
using k8s.Models;
using Thoras.Sandbox.Tests.Support;

namespace Thoras.Sandbox.Tests.Events;

/// <summary>Events written through events.k8s.io/v1 as the real kubectl shows them.</summary>
public sealed class EventsKubectlTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture fixture;
    private readonly IKubernetes client;
    private readonly Support.Kubectl kubectl;

    public EventsKubectlTests(SandboxFixture fixture)
    {
        this.fixture = fixture;
        client = fixture.Client;
        kubectl = new Support.Kubectl(fixture.Sandbox);
    }

    public void Dispose() => kubectl.Dispose();

    private async Task<string> RecordAsync(params (string Name, string Regarding, string Reason, string Type)[] events)
    {
        var ns = await fixture.NewNamespaceAsync();
        foreach (var (name, regarding, reason, type) in events)
        {
            await client.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event
            {
                Metadata = new V1ObjectMeta { Name = name },
                EventTime = DateTime.UtcNow,
                ReportingController = "thoras.ai/scaler",
                ReportingInstance = "thoras-functions",
                Action = reason,
                Reason = reason,
                Type = type,
                Note = $"{reason} {regarding}",
                Regarding = new V1ObjectReference { ApiVersion = "thoras.ai/v1", Kind = "AIScaleTarget", Name = regarding, NamespaceProperty = ns },
            }, ns);
        }

        return ns;
    }

    [Fact]
    public async Task GetEvents_Namespace_ShowsLastSeenTypeReasonObjectMessage()
    {
        var ns = await RecordAsync(("web.1", "web", "Resized", "Normal"));

        var output = await kubectl.OkAsync("get", "events", "-n", ns);

        var lines = output.Trim().Split('\n');
        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$", lines[0]);
        Assert.Matches(@"^\d+s\s+Normal\s+Resized\s+aiscaletarget/web\s+Resized web$", lines[1]);
    }

    [Fact]
    public async Task GetEvents_Wide_ShowsSourceCountAndName()
    {
        var ns = await RecordAsync(("web.1", "web", "Resized", "Normal"));

        var output = await kubectl.OkAsync("get", "events", "-n", ns, "-o", "wide");

        Assert.Matches(@"Resized web\s+\d+s\s+1\s+web\.1", output);
        Assert.Contains("thoras.ai/scaler, thoras-functions", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetEvents_FieldSelector_ShowsOnlyTheObjectsEvents()
    {
        var ns = await RecordAsync(("web.1", "web", "Resized", "Normal"), ("api.1", "api", "OOMKilled", "Warning"));

        var output = await kubectl.OkAsync("get", "events", "-n", ns, "--field-selector", "involvedObject.name=api,type=Warning", "-o", "name");

        Assert.Equal("event/api.1", output.Trim());
    }

    [Fact]
    public async Task GetEventsV1_FullyQualified_ListsTheSameEvents()
    {
        var ns = await RecordAsync(("web.1", "web", "Resized", "Normal"));

        var output = await kubectl.OkAsync("get", "events.v1.events.k8s.io", "-n", ns, "-o", "jsonpath={.items[*].note}");

        Assert.Equal("Resized web", output);
    }

    [Fact]
    public async Task KubectlEvents_WarningTypes_ListsOnlyWarnings()
    {
        var ns = await RecordAsync(("web.1", "web", "Resized", "Normal"), ("api.1", "api", "OOMKilled", "Warning"));

        var output = await kubectl.OkAsync("events", "-n", ns, "--types", "Warning");

        Assert.Contains("AIScaleTarget/api", output, StringComparison.Ordinal);
        Assert.DoesNotContain("AIScaleTarget/web", output, StringComparison.Ordinal);
    }
}

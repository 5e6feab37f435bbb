using System.Text.Json;
using Xunit;

namespace Thoras.Cli.Tests.Operator;

/// <summary>The operator CLI as a kubectl plugin against a running local host, with the real kubectl.</summary>
public sealed class KubectlPluginTests(KubectlPluginFixture fixture) : IClassFixture<KubectlPluginFixture>
{
    [Fact]
    public async Task KubectlThorasStatus_RunningHost_ShowsThePauseStateAndEveryTarget()
    {
        var (exit, output, error) = await fixture.KubectlAsync("thoras", "status");

        Assert.True(exit == 0, $"exit {exit}: {error}");
        Assert.Contains("Scaling: ", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^demo\s+web\s+autonomous", output);
    }

    [Fact]
    public async Task KubectlThorasPause_WithReason_PausesAndKubectlGetEventsListsItWithinATick()
    {
        var (exit, output, error) = await fixture.KubectlAsync("thoras", "pause", "--reason", "x", "--output", "json");
        var events = string.Empty;
        for (var tries = 0; tries < 30 && !events.Contains("ScalingPaused", StringComparison.Ordinal); tries++)
        {
            await Task.Delay(1000);
            events = (await fixture.KubectlAsync("get", "events", "-n", "demo")).Output;
        }

        await fixture.KubectlAsync("thoras", "resume");
        Assert.True(exit == 0, $"exit {exit}: {error}");
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("status").GetProperty("paused").GetBoolean());
        Assert.Matches(@"(?m)\sNormal\s+ScalingPaused\s+aiscaletarget/web\s", events);
    }

    [Fact]
    public async Task KubectlThorasMode_InvalidDirection_ExitsOneWithTheProblem()
    {
        var (exit, _, error) = await fixture.KubectlAsync("thoras", "mode", "demo/web", "sideways", "autonomous");

        Assert.Equal(1, exit);
        Assert.Contains("Invalid direction", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlThorasPause_WithoutReason_ExitsTwoAndSendsNothing()
    {
        var (exit, _, error) = await fixture.KubectlAsync("thoras", "pause");

        Assert.Equal(2, exit);
        Assert.Contains("--reason is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlThorasAudit_Json_ListsRecordsNewestFirst()
    {
        var (exit, output, error) = await fixture.KubectlAsync("thoras", "audit", "--limit", "5", "--output", "json");

        Assert.True(exit == 0, $"exit {exit}: {error}");
        var at = JsonDocument.Parse(output).RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.NotEmpty(at);
        Assert.Equal(at.OrderDescending(), at);
    }
}

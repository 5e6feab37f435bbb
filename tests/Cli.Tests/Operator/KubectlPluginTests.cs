using System.Diagnostics;
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

    /// <summary>Polls <c>kubectl get events -n demo</c> until it lists <paramref name="reason"/> (or 30 s pass).</summary>
    private async Task<string> EventsListingAsync(string reason)
    {
        var events = string.Empty;
        for (var tries = 0; tries < 30 && !events.Contains(reason, StringComparison.Ordinal); tries++)
        {
            await Task.Delay(1000);
            events = (await fixture.KubectlAsync("get", "events", "-n", "demo")).Output;
        }

        return events;
    }

    [Fact]
    public async Task KubectlThorasPauseThenResume_WithReason_KubectlGetEventsListsBothWithinATick()
    {
        var (exit, output, error) = await fixture.KubectlAsync("thoras", "pause", "--reason", "x", "--output", "json");
        var paused = await EventsListingAsync("ScalingPaused");
        var (resumeExit, _, resumeError) = await fixture.KubectlAsync("thoras", "resume");
        var resumed = await EventsListingAsync("ScalingResumed");

        Assert.True(exit == 0, $"exit {exit}: {error}");
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("status").GetProperty("paused").GetBoolean());
        Assert.Matches(@"(?m)\sNormal\s+ScalingPaused\s+aiscaletarget/web\s", paused);
        Assert.True(resumeExit == 0, $"exit {resumeExit}: {resumeError}");
        Assert.Matches(@"(?m)\sNormal\s+ScalingResumed\s+aiscaletarget/web\s", resumed);
    }

    [Fact]
    public async Task DemoWebResized_KubectlGetEventsAndDescribeAstListResizedInPlaceAndGetAstShowsReadyScalingApplied()
    {
        // Wait for the apply stage to finish a suggestion of the demo's in-place target (its 10-minute lookback first).
        var applied = false;
        for (var waited = Stopwatch.StartNew(); !applied && waited.Elapsed < TimeSpan.FromMinutes(5); await Task.Delay(1000))
            applied = (await fixture.KubectlAsync("get", "ast", "web", "-n", "demo", "-o", "jsonpath={.status.latestSuggestionApplied}")).Output == "true";
        var events = string.Empty;
        var tick = TimeSpan.FromMinutes(1) / KubectlPluginFixture.SpeedUp;
        for (var since = Stopwatch.StartNew(); applied && !events.Contains("ResizedInPlace", StringComparison.Ordinal) && (events.Length == 0 || since.Elapsed < tick);)
            events = (await fixture.KubectlAsync("get", "events", "-n", "demo")).Output;
        var table = (await fixture.KubectlAsync("get", "ast", "-n", "demo")).Output;
        var described = (await fixture.KubectlAsync("describe", "ast", "web", "-n", "demo")).Output;

        Assert.True(applied, "no suggestion of demo/web was applied in time; output:\n" + fixture.Serve.Output);
        Assert.Matches(@"(?m)\sNormal\s+ResizedInPlace\s+aiscaletarget/web\s+Resized \d+ pod\(s\) in place to suggestion ", events);
        Assert.Matches(@"(?m)\sNormal\s+ResizedInPlace\s+deployment/web\s", events);
        Assert.Matches(@"(?m)^\s+Normal\s+ResizedInPlace\s+.*\s+thoras\.ai/thoras-functions\s+Resized \d+ pod\(s\) in place", described);
        Assert.Matches(@"(?m)^NAME\s.*\sREADY\s+SCALING\s+REASON\s+SUGGESTED\s+APPLIED\s+AGE$", table);
        Assert.Matches(@"(?m)^web\s.*\sTrue\s+True\s+[A-Z]\w+\s+\S+\s+true\s+\S+$", table);
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
        // The first records are the first sync tick's enrollments: wait for them rather than for whichever test pauses.
        var at = new List<DateTimeOffset>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (at.Count == 0 && DateTime.UtcNow < deadline)
        {
            var (exit, output, error) = await fixture.KubectlAsync("thoras", "audit", "--limit", "5", "--output", "json");
            Assert.True(exit == 0, $"exit {exit}: {error}");
            at = [.. JsonDocument.Parse(output).RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("at").GetDateTimeOffset())];
            if (at.Count == 0)
                await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.NotEmpty(at);
        Assert.Equal(at.OrderDescending(), at);
    }
}

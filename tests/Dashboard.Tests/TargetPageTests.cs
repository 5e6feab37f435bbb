using System.Text.Json;
using k8s;
using Microsoft.Playwright;
using Thoras.Domain.Enrollment;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Thoras.Dashboard.Tests;

/// <summary>A target's page: its timeline with the suggestions a pause held back, and the mode switch.</summary>
[Collection(DashboardTestGroup.Name)]
public sealed class TargetPageTests(DashboardHost stack)
{
    [Fact]
    public async Task Timeline_SuggestionsMadeWhilePaused_AreMarkedWouldHaveApplied()
    {
        await WaitForAsync(async () => (await stack.GetAsync("api/targets/demo/web")).GetProperty("latestSuggestion").ValueKind == JsonValueKind.Object, "a first suggestion for demo/web");
        await stack.PostAsync("api/system/pause", new { reason = "browser test: timeline" });
        try
        {
            await WaitForAsync(async () => (await PausedRecordsAsync()) > 0, "a suggestion for demo/web recorded as not applied: paused");
        }
        finally
        {
            await stack.PostAsync("api/system/resume", new { reason = "browser test: timeline done" });
        }

        var page = await stack.SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "demo/web" }).ClickAsync();

        var cpu = page.GetByTestId("chart-web-cpu");
        await Expect(cpu.Locator("svg")).ToBeVisibleAsync();
        await Expect(cpu).Not.ToHaveAttributeAsync("data-paused-points", "0");
        await Expect(cpu).Not.ToHaveAttributeAsync("data-usage-points", "0");
        await Expect(cpu.Locator("svg text", new() { HasText = "Would have applied (paused)" })).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("paused-summary")).ToContainTextAsync("would have applied");
        await Expect(page.GetByTestId("suggestion-table").Locator("strong.would").First).ToHaveTextAsync("would have applied");
        await DashboardHost.ScreenshotAsync(page, "target-timeline");
    }

    [Fact]
    public async Task ModeSwitch_AutonomousToRecommendationFromTargetPage_RestartsTheWorkload()
    {
        await WaitForAsync(
            async () => (await stack.GetAsync("api/targets/demo/web")).GetProperty("suggestionsApplied").GetProperty("vertical").GetBoolean(),
            "a vertical suggestion applied to demo/web");
        var before = await RestartedAtAsync();
        var page = await stack.SignedInAsync();
        await page.GotoAsync(stack.DashboardUrl + "#/targets/demo/web");

        try
        {
            await page.GetByTestId("mode-vertical").SelectOptionAsync("recommendation");
            await page.GetByRole(AriaRole.Button, new() { Name = "Change vertical mode…" }).ClickAsync();
            var dialog = page.Locator("#mode-dialog");
            await Expect(dialog.GetByTestId("mode-warning")).ToContainTextAsync("restarts the workload Deployment/web");
            await DashboardHost.ScreenshotAsync(page, "mode-switch-confirmation");
            await dialog.GetByTestId("confirm-mode").ClickAsync();

            await Expect(page.GetByTestId("notice")).ToContainTextAsync("is now recommendation");
            var after = await RestartedAtAsync();
            Assert.NotNull(after);
            Assert.NotEqual(before, after);
            var target = await stack.GetAsync("api/targets/demo/web");
            Assert.Equal("recommendation", target.GetProperty("verticalMode").GetString());
        }
        finally
        {
            using var back = await stack.Api.PutAsync(
                new Uri("api/targets/demo/web/mode", UriKind.Relative),
                new StringContent("""{"direction":"vertical","mode":"autonomous","reason":"browser test: restore"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(back.IsSuccessStatusCode, "restoring demo/web to autonomous failed: " + await back.Content.ReadAsStringAsync());
        }
    }

    private async Task<string?> RestartedAtAsync()
    {
        var deployment = await stack.Cluster.AppsV1.ReadNamespacedDeploymentAsync("web", "demo");
        return deployment.Spec.Template.Metadata.Annotations?.TryGetValue(RevertAnnotations.RestartedAt, out var at) == true ? at : null;
    }

    private async Task<int> PausedRecordsAsync()
    {
        var history = await stack.GetAsync("api/targets/demo/web/suggestions?limit=50");
        return history.GetProperty("suggestions").EnumerateArray()
            .Count(r => !r.GetProperty("expectedToApply").GetBoolean() && r.GetProperty("reason").GetString()!.StartsWith("paused", StringComparison.Ordinal));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what) =>
        Assert.True(await DashboardHost.EventuallyAsync(condition, TimeSpan.FromMinutes(3)), $"timed out waiting for {what}");
}

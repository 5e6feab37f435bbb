using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Thoras.Dashboard.Tests;

/// <summary>The system-wide pause through the dashboard: the Manage Cluster menu, the flyouts, the banner.</summary>
[Collection(DashboardTestGroup.Name)]
public sealed class PauseFlowTests(DashboardHost stack)
{
    private const string BannerText = "Autonomous scaling actions are paused. Targets will not be right-sized.";

    [Fact]
    public async Task PauseFromMenu_ConfirmedWithReason_FlyoutCountMatchesApiBannerAndConfigMapThenResumeFromBanner()
    {
        var page = await stack.SignedInAsync();
        var preview = await stack.GetAsync("api/system/pause");
        var expected = preview.GetProperty("affectedTargets").GetProperty("count").GetInt32();

        await page.GetByRole(AriaRole.Button, new() { Name = "Manage Cluster" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Pause autonomous scaling" }).ClickAsync();
        var flyout = page.Locator("#pause-flyout");
        await Expect(flyout.GetByTestId("affected-count")).ToHaveTextAsync(expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(flyout.GetByTestId("affected-list").Locator("li")).ToHaveCountAsync(expected);
        await flyout.GetByLabel("Reason").FillAsync("browser test: deploy freeze");
        await DashboardHost.ScreenshotAsync(page, "pause-flyout");
        await flyout.GetByTestId("confirm-pause").ClickAsync();

        var banner = page.GetByTestId("pause-banner");
        await Expect(banner).ToContainTextAsync(BannerText);
        await Expect(banner.Locator("[data-holder=manual]")).ToContainTextAsync("deploy freeze");
        Assert.True(
            await DashboardHost.EventuallyAsync(async () => (await stack.MirrorAsync()).Contains("scaling-paused: true", StringComparison.Ordinal), TimeSpan.FromSeconds(20)),
            "the ConfigMap never said scaling-paused: true; it holds:\n" + await stack.MirrorAsync());
        await DashboardHost.ScreenshotAsync(page, "fleet-paused-banner");

        await banner.GetByRole(AriaRole.Link, new() { Name = "Resume autonomous scaling" }).ClickAsync();
        await DashboardHost.ScreenshotAsync(page, "resume-flyout");
        await page.Locator("#resume-flyout").GetByTestId("confirm-resume").ClickAsync();

        await Expect(banner).ToBeHiddenAsync();
        Assert.True(
            await DashboardHost.EventuallyAsync(async () => (await stack.MirrorAsync()).Contains("scaling-paused: false", StringComparison.Ordinal), TimeSpan.FromSeconds(20)),
            "the ConfigMap never said scaling-paused: false after the resume");
    }

    [Fact]
    public async Task Flyouts_KeyboardOnly_PauseThenEscapeThenResume()
    {
        var page = await stack.SignedInAsync();

        // Tab from the top of the page to the menu button, as a keyboard user would.
        var reached = false;
        for (var i = 0; i < 15 && !reached; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await FocusedIdAsync(page) == "manage-cluster-button";
        }

        Assert.True(reached, "Tab never reached the Manage Cluster button");
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("menu-pause", await FocusedIdAsync(page));
        await page.Keyboard.PressAsync("ArrowDown");
        Assert.Equal("menu-resume", await FocusedIdAsync(page));
        await page.Keyboard.PressAsync("ArrowUp");
        await page.Keyboard.PressAsync("Enter");

        // The flyout opens on its reason field; Tab walks to the confirm button.
        await Expect(page.Locator("#pause-flyout")).ToBeVisibleAsync();
        Assert.Equal("pause-reason", await FocusedIdAsync(page));
        await page.Keyboard.TypeAsync("keyboard-only pause");
        await TabToAsync(page, "[data-testid=confirm-pause]");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("pause-banner")).ToBeVisibleAsync();

        // Escape closes a flyout and gives focus back to the menu button.
        await page.Locator("#manage-cluster-button").FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#resume-flyout")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#resume-flyout")).ToBeHiddenAsync();
        Assert.Equal("manage-cluster-button", await FocusedIdAsync(page));

        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#resume-flyout")).ToBeVisibleAsync();
        await TabToAsync(page, "[data-testid=confirm-resume]");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("pause-banner")).ToBeHiddenAsync();
        var status = await stack.GetAsync("api/system/pause");
        Assert.False(status.GetProperty("paused").GetBoolean());
    }

    [Fact]
    public async Task Flyout_ClosedThenChosenAgainAtOnce_OpensAgain()
    {
        var page = await stack.SignedInAsync();
        var menu = page.GetByRole(AriaRole.Button, new() { Name = "Manage Cluster" });
        var pause = page.GetByRole(AriaRole.Menuitem, new() { Name = "Pause autonomous scaling" });
        var flyout = page.Locator("#pause-flyout");

        // The × and then the menu again, with no wait in between: the dialog's own close event comes a task later
        // and must neither leave the choice doing nothing nor shut the flyout it reopened.
        await menu.ClickAsync();
        await pause.ClickAsync();
        await Expect(flyout).ToBeVisibleAsync();
        await flyout.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await menu.ClickAsync();
        await pause.ClickAsync();
        await Expect(flyout).ToBeVisibleAsync();
        Assert.Equal("pause-reason", await FocusedIdAsync(page));

        // Escape and straight back in from the keyboard.
        await page.Keyboard.PressAsync("Escape");
        Assert.Equal("manage-cluster-button", await FocusedIdAsync(page));
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Enter");
        await Expect(flyout).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500);
        await Expect(flyout).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(flyout).ToBeHiddenAsync();
        Assert.False((await stack.GetAsync("api/system/pause")).GetProperty("paused").GetBoolean());
    }

    private static Task<string> FocusedIdAsync(IPage page) => page.EvaluateAsync<string>("() => document.activeElement?.id ?? ''");

    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 20; i++)
        {
            if (await page.EvaluateAsync<bool>($"() => document.activeElement?.matches('{selector}') ?? false"))
                return;
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {selector}");
    }
}

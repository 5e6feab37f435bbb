using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Thoras.Dashboard.Tests;

/// <summary>axe-core over every view: no violation of serious or critical impact.</summary>
[Collection(DashboardTestGroup.Name)]
public sealed class AccessibilityTests(DashboardHost stack)
{
    [Fact]
    public async Task Axe_EveryViewAndFlyout_NoSeriousOrCriticalViolations()
    {
        var found = new List<string>();
        var page = await stack.OpenAsync();
        await Expect(page.GetByLabel("Function key")).ToBeVisibleAsync();
        found.AddRange(await ScanAsync(page, "sign-in"));

        await page.GetByLabel("Function key").FillAsync(stack.FunctionKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("fleet-table")).ToBeVisibleAsync();
        found.AddRange(await ScanAsync(page, "fleet"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Manage Cluster" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Pause autonomous scaling" }).ClickAsync();
        await Expect(page.Locator("#pause-flyout").GetByTestId("affected-count")).ToBeVisibleAsync();
        found.AddRange(await ScanAsync(page, "pause-flyout"));
        await page.Keyboard.PressAsync("Escape");

        await page.GotoAsync(stack.DashboardUrl + "#/targets/demo/web");
        await Expect(page.GetByTestId("chart-web-cpu").Locator("svg")).ToBeVisibleAsync();
        found.AddRange(await ScanAsync(page, "target"));

        await page.GotoAsync(stack.DashboardUrl + "#/windows");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New window" })).ToBeVisibleAsync();
        found.AddRange(await ScanAsync(page, "windows"));

        await page.GotoAsync(stack.DashboardUrl + "#/audit");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log" })).ToBeVisibleAsync();
        found.AddRange(await ScanAsync(page, "audit"));

        Assert.True(found.Count == 0, "axe found serious or critical violations:\n" + string.Join("\n", found));
    }

    // The charts' drawings are left out: each chart is one role="img" with a description, which is scanned, and
    // walking thousands of SVG paths that screen readers never see only made the scan minutes long.
    private static readonly AxeRunContext WithoutChartDrawings = new() { Exclude = [new AxeSelector(".chart svg")] };

    private static async Task<IEnumerable<string>> ScanAsync(IPage page, string view)
    {
        var result = await page.RunAxe(WithoutChartDrawings);
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{view}: {v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))}");
    }
}

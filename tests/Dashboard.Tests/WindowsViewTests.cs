using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Thoras.Dashboard.Tests;

/// <summary>Maintenance windows in the dashboard: the API's validation shown as it answers, create, delete.</summary>
[Collection(DashboardTestGroup.Name)]
public sealed class WindowsViewTests(DashboardHost stack)
{
    [Fact]
    public async Task Windows_InvalidCronThenValid_ShowsTheApiProblemThenCreatesAndDeletes()
    {
        var page = await stack.SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Maintenance windows" }).ClickAsync();

        await page.GetByLabel("Cron").FillAsync("every night");
        await page.GetByLabel("Reason").FillAsync("node image upgrade");
        await page.GetByLabel("Id (optional").FillAsync("browser-nightly");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create window" }).ClickAsync();
        await Expect(page.GetByTestId("window-error")).ToContainTextAsync("cron");
        Assert.DoesNotContain((await stack.GetAsync("api/system/windows")).GetProperty("windows").EnumerateArray(), w => w.GetProperty("id").GetString() == "browser-nightly");

        await page.GetByLabel("Cron").FillAsync("0 2 * * 6");
        await page.GetByLabel("Time zone").FillAsync("Europe/Berlin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create window" }).ClickAsync();
        var row = page.Locator("tr[data-window=browser-nightly]");
        await Expect(row).ToContainTextAsync("0 2 * * 6");
        await DashboardHost.ScreenshotAsync(page, "maintenance-windows");

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete window browser-nightly" }).ClickAsync();
        await page.Locator("#window-delete").GetByRole(AriaRole.Button, new() { Name = "Delete window" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.DoesNotContain((await stack.GetAsync("api/system/windows")).GetProperty("windows").EnumerateArray(), w => w.GetProperty("id").GetString() == "browser-nightly");
    }
}

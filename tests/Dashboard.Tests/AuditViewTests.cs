using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Thoras.Dashboard.Tests;

/// <summary>The audit log view over <c>GET /api/audit</c>: filters, pages, and the API's refusals shown.</summary>
[Collection(DashboardTestGroup.Name)]
public sealed class AuditViewTests(DashboardHost stack)
{
    [Fact]
    public async Task AuditLog_FilteredByActorTenPerPage_PagesThroughAllTwelveRecords()
    {
        for (var i = 0; i < 6; i++)
        {
            await stack.PostAsync("api/system/pause", new { reason = $"audit paging {i}", actor = "browser-pager" });
            await stack.PostAsync("api/system/resume", new { reason = $"audit paging {i}", actor = "browser-pager" });
        }

        var page = await stack.SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await page.GetByLabel("Actor").FillAsync("browser-pager");
        await page.GetByLabel("Per page").SelectOptionAsync("10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        var rows = page.GetByTestId("audit-table").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(rows.First).ToContainTextAsync("browser-pager");
        await Expect(rows.First).ToContainTextAsync("resume");
        await DashboardHost.ScreenshotAsync(page, "audit-log");
        await page.GetByRole(AriaRole.Button, new() { Name = "Older →" }).ClickAsync();
        await Expect(page.GetByTestId("audit-page")).ToHaveTextAsync("Page 2");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Last).ToContainTextAsync("audit paging 0");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Older →" })).ToBeDisabledAsync();
    }

    [Fact]
    public async Task AuditLog_InvalidTargetFilter_ShowsTheApiProblem()
    {
        var page = await stack.SignedInAsync();
        await page.GotoAsync(stack.DashboardUrl + "#/audit");

        await page.GetByLabel("Target (namespace/name)").FillAsync("not a target");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        await Expect(page.GetByTestId("audit-error")).ToContainTextAsync("Invalid target");
        await Expect(page.GetByTestId("audit-table")).ToHaveCountAsync(0);
    }
}

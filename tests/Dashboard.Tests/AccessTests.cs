using System.Net;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Thoras.Dashboard.Tests;

/// <summary>Signing in with the function key, and a page that asks nothing of any host but the app.</summary>
[Collection(DashboardTestGroup.Name)]
public sealed class AccessTests(DashboardHost stack)
{
    [Fact]
    public async Task SignIn_WrongKey_ShowsWhyAndNoDashboard()
    {
        var page = await stack.OpenAsync();

        await page.GetByLabel("Function key").FillAsync("not-the-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByTestId("sign-in-error")).ToContainTextAsync("not accepted");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the Thoras dashboard" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("fleet-table")).ToHaveCountAsync(0);
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('thoras.functionKey')"));
        await DashboardHost.ScreenshotAsync(page, "sign-in-rejected");
    }

    [Fact]
    public async Task Dashboard_EveryView_RequestsNothingButTheApp()
    {
        var context = await stack.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var hosts = new List<string>();
        page.Request += (_, request) =>
        {
            lock (hosts)
                hosts.Add(new Uri(request.Url).Authority);
        };

        await page.GotoAsync(stack.DashboardUrl.ToString());
        await page.GetByLabel("Function key").FillAsync(stack.FunctionKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("fleet-table")).ToBeVisibleAsync();
        await page.GotoAsync(stack.DashboardUrl + "#/targets/demo/web");
        await Expect(page.GetByTestId("chart-web-cpu")).ToBeVisibleAsync();
        await page.GotoAsync(stack.DashboardUrl + "#/windows");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Maintenance windows" })).ToBeVisibleAsync();
        await page.GotoAsync(stack.DashboardUrl + "#/audit");
        await Expect(page.GetByTestId("audit-table")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        lock (hosts)
        {
            Assert.NotEmpty(hosts);
            Assert.All(hosts, h => Assert.Equal(stack.BaseAddress.Authority, h));
        }
    }

    [Fact]
    public async Task Assets_Served_WithContentTypesAndCachePolicy()
    {
        using var anonymous = new HttpClient { BaseAddress = stack.BaseAddress };

        var index = await anonymous.GetAsync(new Uri("api/dashboard/", UriKind.Relative));
        var html = await index.Content.ReadAsStringAsync();
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(app-[A-Z0-9]{8}\\.js)\"").Groups[1].Value;
        var bundle = await anonymous.GetAsync(new Uri("api/dashboard/" + script, UriKind.Relative));
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, new Uri("api/dashboard/", UriKind.Relative));
        revalidate.Headers.TryAddWithoutValidation("If-None-Match", index.Headers.ETag!.ToString());
        var notModified = await anonymous.SendAsync(revalidate);

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType!.MediaType);
        Assert.True(index.Headers.CacheControl!.NoCache);
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Equal("text/javascript", bundle.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", bundle.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }
}

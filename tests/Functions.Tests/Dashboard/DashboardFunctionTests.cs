using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Thoras.Functions.Dashboard;
using Thoras.Functions.Http;
using Xunit;

namespace Thoras.Functions.Tests.Dashboard;

/// <summary>The dashboard's asset function over a built dashboard in a temporary folder.</summary>
public sealed class DashboardFunctionTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("dashboard-assets-").FullName;
    private readonly string _root;

    public DashboardFunctionTests()
    {
        _root = Directory.CreateDirectory(Path.Combine(_base, "dashboard")).FullName;
        File.WriteAllText(Path.Combine(_root, "index.html"), "<!doctype html><title>t</title>");
        File.WriteAllText(Path.Combine(_root, "app-ABCD2345.js"), "console.log(1)");
        File.WriteAllText(Path.Combine(_root, "notes.exe"), "MZ");
        File.WriteAllText(Path.Combine(_base, "secret.txt"), "outside");
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);

    private DashboardFunction Function() => new(new DashboardAssets(_root));

    private static DefaultHttpContext Context(string method, string path, string? ifNoneMatch = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        if (ifNoneMatch is not null)
            context.Request.Headers.IfNoneMatch = ifNoneMatch;
        return context;
    }

    private static async Task<HttpResponse> ExecuteAsync(IActionResult result, HttpContext context)
    {
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        return context.Response;
    }

    private static string Body(HttpResponse response)
    {
        response.Body.Position = 0;
        return new StreamReader(response.Body, Encoding.UTF8).ReadToEnd();
    }

    [Fact]
    public async Task Serve_Folder_ServesThePageRevalidatedWithItsSecurityPolicy()
    {
        var context = Context("GET", "/api/dashboard/");

        var response = await ExecuteAsync(Function().Serve(context.Request, null), context);

        Assert.Equal(StatusCodes.Status200OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.ContentType);
        Assert.Equal("no-cache", response.Headers.CacheControl.ToString());
        Assert.Contains("default-src 'self'", response.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
        Assert.Contains("<title>t</title>", Body(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_HashedBundle_IsJavaScriptCachedForAYear()
    {
        var context = Context("GET", "/api/dashboard/app-ABCD2345.js");

        var response = await ExecuteAsync(Function().Serve(context.Request, "app-ABCD2345.js"), context);

        Assert.Equal("text/javascript; charset=utf-8", response.ContentType);
        Assert.Equal(DashboardAssets.ImmutableCache, response.Headers.CacheControl.ToString());
        Assert.Equal("console.log(1)", Body(response));
    }

    [Fact]
    public async Task Serve_CurrentETag_Answers304WithoutBody()
    {
        var first = Context("GET", "/api/dashboard/");
        var etag = (await ExecuteAsync(Function().Serve(first.Request, null), first)).Headers.ETag.ToString();
        var second = Context("GET", "/api/dashboard/", ifNoneMatch: etag);

        var response = await ExecuteAsync(Function().Serve(second.Request, null), second);

        Assert.Equal(StatusCodes.Status304NotModified, response.StatusCode);
        Assert.Equal(string.Empty, Body(response));
    }

    [Fact]
    public async Task Serve_Head_SendsHeadersOnly()
    {
        var context = Context("HEAD", "/api/dashboard/");

        var response = await ExecuteAsync(Function().Serve(context.Request, null), context);

        Assert.Equal(StatusCodes.Status200OK, response.StatusCode);
        Assert.True(response.ContentLength > 0);
        Assert.Equal(string.Empty, Body(response));
    }

    [Fact]
    public void Serve_WithoutTrailingSlash_RedirectsToTheFolder()
    {
        var context = Context("GET", "/api/dashboard");

        var result = Assert.IsType<RedirectResult>(Function().Serve(context.Request, null));

        Assert.Equal("/api/dashboard/", result.Url);
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("..%2Fsecret.txt")]
    [InlineData("notes.exe")]
    [InlineData("missing.js")]
    [InlineData(".hidden.js")]
    public void Serve_OutsideTheFolderUnknownTypeOrMissing_Answers404(string path)
    {
        var context = Context("GET", "/api/dashboard/" + path);

        var problem = Assert.Throws<ProblemException>(() => Function().Serve(context.Request, path));

        Assert.Equal(StatusCodes.Status404NotFound, problem.Status);
    }

    [Fact]
    public void Serve_Post_Answers405()
    {
        var context = Context("POST", "/api/dashboard/");

        var problem = Assert.Throws<ProblemException>(() => Function().Serve(context.Request, null));

        Assert.Equal(StatusCodes.Status405MethodNotAllowed, problem.Status);
        Assert.Equal("GET, HEAD", context.Response.Headers.Allow.ToString());
    }

    [Fact]
    public void Serve_NotBuilt_Answers503SayingHowToBuild()
    {
        var empty = Directory.CreateTempSubdirectory("dashboard-empty-").FullName;
        try
        {
            var context = Context("GET", "/api/dashboard/");

            var problem = Assert.Throws<ProblemException>(() => new DashboardFunction(new DashboardAssets(empty)).Serve(context.Request, null));

            Assert.Equal(StatusCodes.Status503ServiceUnavailable, problem.Status);
            Assert.Contains("./build.sh", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}

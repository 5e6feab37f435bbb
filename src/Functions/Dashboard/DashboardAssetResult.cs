using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Thoras.Functions.Dashboard;

/// <summary>
/// Writes one dashboard file with its type, cache policy, ETag and the page's security headers; answers 304 when the
/// browser's copy (<c>If-None-Match</c>) is current, and headers only for <c>HEAD</c>.
/// </summary>
public sealed class DashboardAssetResult(DashboardAsset asset, string contentSecurityPolicy) : IActionResult
{
    public DashboardAsset Asset => asset;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.HttpContext.Request;
        var response = context.HttpContext.Response;
        var headers = response.Headers;
        headers.CacheControl = asset.CacheControl;
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = contentSecurityPolicy;

        if (Matches(request.Headers.IfNoneMatch, asset.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Length;
        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }

        await using var file = File.OpenRead(asset.FullPath);
        await file.CopyToAsync(response.Body, context.HttpContext.RequestAborted);
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag) =>
        EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags) &&
        tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(EntityTagHeaderValue.Parse(etag), useStrongComparison: false));
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Thoras.Functions.Http;

namespace Thoras.Functions.Dashboard;

/// <summary>
/// <c>GET /api/dashboard/</c>: the operator's dashboard, served by the app itself from the files built into it.
/// Anonymous at the Functions level, so the page can load and ask for the function key that every API call it makes
/// needs; behind App Service authentication (the Bicep option), signing in is required before the page loads.
/// </summary>
public sealed class DashboardFunction(DashboardAssets assets)
{
    /// <summary>Where the page may load anything from: the app alone, so no request ever leaves for another host.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    [Function("Dashboard")]
    public IActionResult Serve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", "put", "patch", "delete", "options", Route = "dashboard/{*path}")] HttpRequest request,
        string? path)
    {
        RequestMethods.Require(request, "GET", "HEAD");

        // The page links its bundles relatively, so it must be addressed as a folder.
        if (string.IsNullOrEmpty(path) && !(request.Path.Value ?? string.Empty).EndsWith('/'))
        {
            return new RedirectResult(request.PathBase + request.Path + "/" + request.QueryString, permanent: false, preserveMethod: true);
        }

        if (!assets.IsBuilt)
        {
            throw new ProblemException(
                StatusCodes.Status503ServiceUnavailable, "Dashboard not built",
                "This build of the app has no dashboard: build it with ./build.sh build (which bundles src/Dashboard) and deploy again.");
        }

        var asset = assets.Find(path)
            ?? throw new ProblemException(StatusCodes.Status404NotFound, "Not found", $"The dashboard has no file '{path}'.");
        return new DashboardAssetResult(asset, ContentSecurityPolicy);
    }
}

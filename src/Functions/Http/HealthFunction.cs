using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Thoras.Infrastructure.Storage;

namespace Thoras.Functions.Http;

/// <summary><c>GET /api/health</c>: the app version and whether Table Storage answers. Anonymous, for probes.</summary>
public sealed class HealthFunction(TableStorageProbe storage)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The informational version of the running app.</summary>
    public static string Version { get; } =
        typeof(HealthFunction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    [Function("Health")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = "health")] HttpRequest request)
    {
        RequestMethods.Require(request, "GET");
        var storageError = await storage.ProbeAsync(ProbeTimeout, request.HttpContext.RequestAborted);
        var report = new HealthReport(
            storageError is null ? "healthy" : "unhealthy",
            Version,
            new StorageHealth(storageError is null, storageError));
        return new ObjectResult(report) { StatusCode = storageError is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable };
    }

    /// <summary>The health response body.</summary>
    public sealed record HealthReport(string Status, string Version, StorageHealth TableStorage);

    /// <summary>Whether Table Storage answered, and if not, why.</summary>
    public sealed record StorageHealth(bool Reachable, string? Error);
}

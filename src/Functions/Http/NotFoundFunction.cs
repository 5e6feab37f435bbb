using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Thoras.Functions.Http;

/// <summary>
/// Every path under <c>/api</c> that no other function serves, for every method: a 404 problem instead of the
/// host's empty answer. Routes with literal segments take precedence over this catch-all. Anonymous, so it tells an
/// unauthenticated caller nothing but that the route does not exist.
/// </summary>
public sealed class NotFoundFunction
{
    [Function("NotFound")]
    public static Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = "{*path}")] HttpRequest request) =>
        throw new ProblemException(StatusCodes.Status404NotFound, "Not found", "There is no such route; the API's routes are listed in the README.");
}

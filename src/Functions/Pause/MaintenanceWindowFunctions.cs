using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Audit;
using Thoras.Domain.Pause;
using Thoras.Functions.Http;

namespace Thoras.Functions.Pause;

/// <summary>
/// <c>GET|POST /api/system/windows</c> and <c>DELETE /api/system/windows/{id}</c>: maintenance windows, which
/// pause scaling while they are open. Function-key auth.
/// </summary>
public sealed class MaintenanceWindowFunctions(PauseService pause, TimeProvider time, Callers callers, ILogger<MaintenanceWindowFunctions> logger)
{
    [Function("SystemWindows")]
    public async Task<IActionResult> Windows(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", "head", "options", Route = "system/windows")] HttpRequest request)
    {
        RequestMethods.Require(request, "GET", "POST");
        var cancellationToken = request.HttpContext.RequestAborted;
        if (HttpMethods.IsGet(request.Method))
        {
            var all = await pause.ListWindowsAsync(cancellationToken);
            return new OkObjectResult(new WindowList([.. all.Select(WindowView.Of)]));
        }

        var body = await StrictJsonBody.ReadAsync<CreateWindowRequest>(request, cancellationToken);
        var actor = callers.ActorOf(request, body.Actor).Name;
        var window = Define(body, actor);
        var created = await pause.CreateWindowAsync(window, cancellationToken);
        if (created is null)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "Window exists", $"A maintenance window with id '{window.Id}' exists already.");
        }

        logger.LogInformation("Maintenance window {Window} created by {Actor}: {Cron} for {Duration} in {TimeZone}", window.Id, actor, window.Cron, window.Duration, window.TimeZone);
        return new ObjectResult(WindowView.Of(created)) { StatusCode = StatusCodes.Status201Created };
    }

    [Function("SystemWindow")]
    public async Task<IActionResult> Window(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", "head", "options", Route = "system/windows/{id}")] HttpRequest request,
        string id)
    {
        RequestMethods.Require(request, "DELETE");
        if (!MaintenanceWindow.IsValidId(id))
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid window id", $"'{(id.Length <= 80 ? id : id[..80] + "...")}' is not a valid window id: 1-40 lower-case letters, digits or dashes, starting with a letter or digit.");
        }

        var actor = callers.ActorOf(request, null).Name;
        if (!await pause.DeleteWindowAsync(id, actor, "deleted through the API", request.HttpContext.RequestAborted))
        {
            throw new ProblemException(StatusCodes.Status404NotFound, "No such window", $"There is no maintenance window with id '{id}'.");
        }

        logger.LogInformation("Maintenance window {Window} deleted by {Actor}", id, actor);
        return new NoContentResult();
    }

    private MaintenanceWindow Define(CreateWindowRequest body, string actor)
    {
        if (!WindowDuration.TryParse(body.Duration, out var duration))
            throw new InvalidMaintenanceWindowException("duration", "Use a duration like '90m', '2h', '1h30m' or 'PT2H' (ASCII digits).");

        var id = body.Id ?? "w" + Guid.NewGuid().ToString("N")[..10];
        return MaintenanceWindow.Define(id, body.Cron, duration, body.TimeZone, Reason.Required(body.Reason).Text, body.Enabled, actor, time.GetUtcNow());
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Audit;
using Thoras.Domain.Pause;
using Thoras.Functions.Http;

namespace Thoras.Functions.Pause;

/// <summary>
/// <c>GET|POST /api/system/pause</c> and <c>POST /api/system/resume</c>: the system-wide pause. Pause halts only
/// the apply step for every autonomous target and restarts nothing. Function-key auth.
/// </summary>
public sealed class PauseFunctions(PauseService pause, IAutonomousTargets targets, Callers callers, ILogger<PauseFunctions> logger)
{
    [Function("SystemPause")]
    public async Task<IActionResult> Pause(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", "head", "options", Route = "system/pause")] HttpRequest request)
    {
        RequestMethods.Require(request, "GET", "POST");
        var cancellationToken = request.HttpContext.RequestAborted;
        if (HttpMethods.IsGet(request.Method))
        {
            return new OkObjectResult(await ViewAsync(await pause.StatusAsync(cancellationToken), cancellationToken));
        }

        var body = await StrictJsonBody.ReadAsync<PauseRequest>(request, cancellationToken);
        var reason = Reason.Required(body.Reason);
        var actor = callers.ActorOf(request, body.Actor);

        var outcome = await CommitAsync(() => pause.PauseAsync(actor.Name, reason.Text, cancellationToken));
        return new OkObjectResult(await ResultAsync(outcome, cancellationToken));
    }

    [Function("SystemResume")]
    public async Task<IActionResult> Resume(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", "head", "options", Route = "system/resume")] HttpRequest request)
    {
        RequestMethods.Require(request, "POST");
        var cancellationToken = request.HttpContext.RequestAborted;
        var body = await StrictJsonBody.ReadOptionalAsync<ResumeRequest>(request, cancellationToken) ?? new ResumeRequest();
        var reason = Reason.Optional(body.Reason);
        var actor = callers.ActorOf(request, body.Actor);

        var outcome = await CommitAsync(() => pause.ResumeAsync(actor.Name, reason?.Text, body.Force, cancellationToken));
        return new OkObjectResult(await ResultAsync(outcome, cancellationToken));
    }

    private async Task<PauseOutcome> CommitAsync(Func<Task<PauseOutcome>> command)
    {
        var outcome = await command();
        var t = outcome.Transition;
        if (t.Changed)
        {
            logger.LogInformation("Pause state changed by {Actor}: {Previous} -> {Current}", t.After.ChangedBy, t.Before.Describe(), t.After.Describe());
        }

        if (outcome.MirrorError is not null)
        {
            logger.LogWarning("Pause mirror write failed; the sync step will repair it: {Error}", outcome.MirrorError);
        }

        foreach (var error in outcome.ReconcileErrors)
        {
            logger.LogWarning("Reconcile after resume failed: {Error}", error);
        }

        return outcome;
    }

    private async Task<PauseChangeResult> ResultAsync(PauseOutcome outcome, CancellationToken cancellationToken) =>
        new(outcome.Transition.Changed, await ViewAsync(await pause.StatusAsync(outcome.Transition.After, cancellationToken), cancellationToken), outcome.MirrorError, outcome.ReconcileErrors);

    private async Task<PauseStatusView> ViewAsync(PauseStatus status, CancellationToken cancellationToken) =>
        new(
            status.Paused,
            status.State?.Revision,
            [.. (status.State?.Holders.Values ?? []).Select(h => new HolderView(h.Id, h.Actor, h.Reason, h.Since))],
            status.State?.ChangedBy,
            status.State?.ChangedAt,
            status.State?.ChangeReason,
            status.AppSettingPaused,
            await AffectedAsync(cancellationToken))
        {
            Reason = status.Reason,
            Unreadable = [.. status.Unreadable.Select(u => new UnreadableView(u.Source, u.Error))],
        };

    private async Task<AffectedTargets> AffectedAsync(CancellationToken cancellationToken)
    {
        try
        {
            var list = await targets.ListAsync(cancellationToken);
            return new AffectedTargets(list.Count, [.. list.Select(t => t.QualifiedName)], null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The pause itself must work while the cluster is unreachable; only the preview is missing then.
            logger.LogWarning(ex, "Listing autonomous targets for the pause preview failed");
            return new AffectedTargets(null, [], "the autonomous targets could not be listed: " + ex.Message);
        }
    }
}

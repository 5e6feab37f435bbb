using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Audit;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;
using Thoras.Functions.Http;

namespace Thoras.Functions.Targets;

/// <summary>
/// <c>GET /api/targets</c>, <c>GET|DELETE /api/targets/{namespace}/{name}</c> and
/// <c>PUT /api/targets/{namespace}/{name}/mode</c>: list and show targets, unenroll one, switch one direction's mode.
/// Function-key auth. Input is checked before anything changes; errors are problem details.
/// </summary>
public sealed class TargetFunctions(
    ITargetCluster targets, IEnrollmentStore store, ModeSwitch modes, Unenrollment unenrollment, Callers callers, ILogger<TargetFunctions> logger)
{
    [Function("Targets")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", "head", "options", Route = "targets")] HttpRequest request)
    {
        RequestMethods.Require(request, "GET");
        var cancellationToken = request.HttpContext.RequestAborted;
        var only = request.Query.TryGetValue("namespace", out var values)
            ? values.Count == 1 ? TargetRoute.Namespace(values[0]) : throw new ProblemException(StatusCodes.Status400BadRequest, "Repeated query parameter", "'namespace' is given more than once; give it once.")
            : null;
        var listing = await targets.ListAsync(only is null ? [] : [only], cancellationToken);
        var records = (await store.ListAsync(cancellationToken)).ToDictionary(r => r.Key);
        var views = listing.Targets.Select(t => View(t, records.GetValueOrDefault(t.Key)))
            .Concat(listing.Invalid.Select(i => View(i, records.GetValueOrDefault(i.Key))))
            .OrderBy(v => v.Namespace, StringComparer.Ordinal)
            .ThenBy(v => v.Name, StringComparer.Ordinal)
            .ToList();
        return new OkObjectResult(new TargetList(views));
    }

    [Function("Target")]
    public async Task<IActionResult> Target(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", "head", "options", Route = "targets/{namespace}/{name}")] HttpRequest request,
        string @namespace,
        string name)
    {
        RequestMethods.Require(request, "GET", "DELETE");
        var cancellationToken = request.HttpContext.RequestAborted;
        var key = TargetRoute.Key(@namespace, name);
        if (HttpMethods.IsDelete(request.Method))
            return await UnenrollAsync(request, key, cancellationToken);

        var record = await store.GetAsync(key, cancellationToken);
        try
        {
            var target = await targets.GetAsync(key, cancellationToken) ?? throw new TargetNotFoundException(key, null);
            return new OkObjectResult(View(target, record));
        }
        catch (InvalidTargetException ex)
        {
            return new OkObjectResult(View(ex.Target, record));
        }
    }

    [Function("TargetMode")]
    public async Task<IActionResult> Mode(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", "head", "options", Route = "targets/{namespace}/{name}/mode")] HttpRequest request,
        string @namespace,
        string name)
    {
        RequestMethods.Require(request, "PUT");
        var cancellationToken = request.HttpContext.RequestAborted;
        var key = TargetRoute.Key(@namespace, name);
        var body = await StrictJsonBody.ReadAsync<ModeRequest>(request, cancellationToken);
        if (!ScalingDirections.TryParseExact(body.Direction, out var direction))
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid direction", $"Field 'direction' is '{body.Direction}'; use vertical or horizontal (lower case).");
        if (!TargetModes.TryParseExact(body.Mode, out var mode))
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid mode", $"Field 'mode' is '{body.Mode}'; use {TargetModes.AllowedText} (lower case).");
        var reason = Reason.Optional(body.Reason);
        var actor = callers.ActorOf(request, body.Actor);

        var change = await modes.SetAsync(key, direction, mode, actor, reason, cancellationToken);
        if (change.Changed)
        {
            logger.LogInformation(
                "{Actor} set the {Direction} mode of {Target} from {Previous} to {Mode}: {Revert}",
                actor.Name, direction.ToWireName(), key, change.Previous.ToWireName(), mode.ToWireName(), change.Revert.Describe());
        }

        return new OkObjectResult(new ModeChangeResult(
            key.Namespace, key.Name, change.Uid, direction.ToWireName(), change.Previous.ToWireName(), change.Current.ToWireName(), change.Changed, RevertView.Of(change.Revert)));
    }

    private async Task<IActionResult> UnenrollAsync(HttpRequest request, TargetKey key, CancellationToken cancellationToken)
    {
        var body = await StrictJsonBody.ReadOptionalAsync<UnenrollRequest>(request, cancellationToken) ?? new UnenrollRequest();
        var reason = Reason.Optional(body.Reason);
        var actor = callers.ActorOf(request, body.Actor);

        var result = await unenrollment.UnenrollAsync(key, actor, reason, cancellationToken);
        logger.LogInformation(
            "{Actor} unenrolled {Target} ({Uid}): {Revert}; {Purged} rows and blobs deleted",
            actor.Name, key, result.Uid, result.Revert.Describe(), result.PurgedItems);
        return new OkObjectResult(new UnenrollResultView(key.Namespace, key.Name, result.Uid, RevertView.Of(result.Revert), result.PurgedItems, result.FinalizerRemoved));
    }

    private static TargetView View(AIScaleTarget target, EnrolledTarget? record)
    {
        record = record?.Uid == target.Metadata.Uid ? record : null;
        var latest = target.Status.LatestSuggestion;
        return new TargetView(
            target.Key.Namespace,
            target.Key.Name,
            target.Metadata.Uid,
            target.Spec.ScaleTargetRef is { } r ? $"{r.Kind}/{r.Name}" : $"pods matching {target.Spec.Selector}",
            target.Spec.ModeOf(ScalingDirection.Vertical)?.ToWireName(),
            target.Spec.ModeOf(ScalingDirection.Horizontal)?.ToWireName(),
            record?.EnrolledAt,
            Applied(record),
            latest is null ? null : TargetJson.Write(latest),
            target.Metadata.IsDeleting || record?.Unenroll is not null,
            null,
            target.Status.Conditions ?? []);
    }

    private static TargetView View(InvalidTarget target, EnrolledTarget? record)
    {
        record = record?.Uid == target.Metadata.Uid ? record : null;
        return new TargetView(
            target.Key.Namespace,
            target.Key.Name,
            target.Metadata.Uid,
            null,
            null,
            null,
            record?.EnrolledAt,
            Applied(record),
            null,
            target.Metadata.IsDeleting || record?.Unenroll is not null,
            target.Problems.Select(p => p.ToString()).ToList());
    }

    private static AppliedView Applied(EnrolledTarget? record) =>
        new(record?.Vertical is not null, record?.Horizontal is not null, record?.Vertical?.SuggestionUid, record?.Horizontal?.SuggestionUid);
}

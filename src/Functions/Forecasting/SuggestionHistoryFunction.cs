using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Thoras.Functions.Http;
using Thoras.Functions.Targets;

namespace Thoras.Functions.Forecasting;

/// <summary>
/// <c>GET /api/targets/{namespace}/{name}/suggestions?limit=N</c>: the target's published suggestions, newest first,
/// each with whether it is expected to be applied and why not. Function-key auth.
/// </summary>
public sealed class SuggestionHistoryFunction(ITargetCluster cluster, ISuggestionHistory history)
{
    /// <summary>How many records are returned without <c>?limit=</c>.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The most records one request may ask for.</summary>
    public const int MaxLimit = 1000;

    [Function("TargetSuggestions")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", "head", "options", Route = "targets/{namespace}/{name}/suggestions")] HttpRequest request,
        string @namespace,
        string name)
    {
        RequestMethods.Require(request, "GET");
        var cancellationToken = request.HttpContext.RequestAborted;
        var key = TargetRoute.Key(@namespace, name);
        var limit = Limit(request.Query["limit"].ToString());

        var target = await cluster.GetAsync(key, cancellationToken)
            ?? throw new TargetNotFoundException(key, null);
        var records = await history.ListAsync(target.Metadata.Uid, limit, cancellationToken);
        return new OkObjectResult(new SuggestionHistoryResponse(key.ToString(), target.Metadata.Uid, records));
    }

    private static int Limit(string text)
    {
        if (string.IsNullOrEmpty(text))
            return DefaultLimit;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit is < 1 or > MaxLimit)
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid limit", $"limit must be a whole number from 1 to {MaxLimit}; got '{text}'.");
        return limit;
    }
}

/// <summary>The body of <c>GET .../suggestions</c>: the target and its suggestion records, newest first.</summary>
public sealed record SuggestionHistoryResponse(string Target, string Uid, IReadOnlyList<SuggestionRecord> Suggestions);

using Thoras.Domain.Targets;

namespace Thoras.Domain.Recommendation;

/// <summary>
/// The limit-policy step (DESIGN.md §3): with <c>limit.ratio</c> the limit is the request times the ratio; without
/// it the limit is the user's and stays as it is, and the request may reach it but never pass it. The forecast
/// stage (what is published), the apply stage (running pods) and admission (new pods) all call this one rule.
/// </summary>
public static class Limits
{
    /// <summary>The request and limit one resource should run with.</summary>
    /// <param name="request">The request the earlier steps arrived at.</param>
    /// <param name="ratio">The spec's <c>limit.ratio</c>, if set.</param>
    /// <param name="currentLimit">The limit the container has now, if any.</param>
    public static ResourceSetting Apply(Quantity request, double? ratio, Quantity? currentLimit)
    {
        if (ratio is { } r)
        {
            return new ResourceSetting(request, Quantity.FromAmount(request.Amount * (decimal)r, request.Format), LimitFollowsRequest: true);
        }

        return new ResourceSetting(currentLimit is { } cap && request > cap ? cap : request, currentLimit, LimitFollowsRequest: false);
    }
}

/// <summary>One resource as a container should run with it.</summary>
/// <param name="Request">The request.</param>
/// <param name="Limit">The limit (the current one when it does not follow the request; null when there is none).</param>
/// <param name="LimitFollowsRequest">True when the limit comes from <c>limit.ratio</c>, so a suggestion carries it.</param>
public sealed record ResourceSetting(Quantity Request, Quantity? Limit, bool LimitFollowsRequest);

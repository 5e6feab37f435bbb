using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Targets;
using Thoras.Functions.Http;
using Thoras.Functions.Targets;

namespace Thoras.Functions.Forecasting;

/// <summary>
/// <c>GET /api/targets/{namespace}/{name}/usage?from=&amp;to=</c>: the target's stored 5-minute usage blocks between two
/// instants, per container and resource (CPU in cores, memory in bytes) and the replica count. Without <c>to</c> the
/// range ends now, without <c>from</c> it starts a day before <c>to</c>; it may span at most 31 days. Function-key auth.
/// </summary>
public sealed class UsageHistoryFunction(ITargetCluster cluster, IUsageStore usage, TimeProvider time)
{
    /// <summary>The range returned when <c>from</c> is not given.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(1);

    /// <summary>The longest range one request may ask for.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    [Function("TargetUsage")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", "head", "options", Route = "targets/{namespace}/{name}/usage")] HttpRequest request,
        string @namespace,
        string name,
        CancellationToken cancellationToken)
    {
        RequestMethods.Require(request, "GET");
        var key = TargetRoute.Key(@namespace, name);
        var to = Instant(request, "to") ?? time.GetUtcNow();
        // The default start is clamped: a 'to' within the default range of year 1 must not underflow into a 500.
        var from = Instant(request, "from") ?? (to - DateTimeOffset.MinValue < DefaultRange ? DateTimeOffset.MinValue : to - DefaultRange);
        if (from >= to)
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid range", $"from ({from:O}) must be before to ({to:O}).");
        if (to - from > MaxRange)
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid range", $"The range from {from:O} to {to:O} is longer than {MaxRange.TotalDays:0} days; ask for a shorter one.");

        AIScaleTarget target;
        try
        {
            target = await cluster.GetAsync(key, cancellationToken)
                ?? throw new ProblemException(StatusCodes.Status404NotFound, "Target not found", $"There is no AIScaleTarget {key.Name} in namespace {key.Namespace}.");
        }
        catch (InvalidTargetException ex)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "Invalid target", ex.Message);
        }

        var series = new List<UsageSeriesView>();
        foreach (var container in await ContainersAsync(target, cancellationToken))
        {
            foreach (var (resource, unit) in new[] { (UsageSeries.Cpu, "cores"), (UsageSeries.Memory, "bytes") })
            {
                series.Add(await ReadAsync(target.Metadata.Uid, UsageSeries.Container(container, resource), container, resource, unit, from, to, cancellationToken));
            }
        }

        series.Add(await ReadAsync(target.Metadata.Uid, UsageSeries.Replicas, null, UsageSeries.Replicas, "pods", from, to, cancellationToken));
        return new OkObjectResult(new UsageHistoryResponse(key.ToString(), target.Metadata.Uid, from, to, (int)UsageSeries.Block.TotalSeconds, series));
    }

    /// <summary>The containers whose series are kept: the controller spec's, the running pods' and the latest suggestion's.</summary>
    private async Task<IReadOnlyList<string>> ContainersAsync(AIScaleTarget target, CancellationToken cancellationToken)
    {
        var resolved = await cluster.ResolveAsync(target, cancellationToken);
        return [.. (resolved?.Workload?.Containers.Select(c => c.Name) ?? [])
            .Concat(resolved?.Pods.SelectMany(p => p.Containers).Select(c => c.Name) ?? [])
            .Concat(target.Status.LatestSuggestion?.ResourceRecommendations?.Select(r => r.ContainerName).OfType<string>() ?? [])
            .Distinct(StringComparer.Ordinal)];
    }

    private async Task<UsageSeriesView> ReadAsync(
        string uid, string series, string? container, string resource, string unit, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var blocks = await usage.ListAsync(uid, series, from, cancellationToken);
        return new UsageSeriesView(series, container, resource, unit, [.. blocks.Where(b => b.Start < to).Select(b => new UsageBlockView(b.Start, b.Max, b.Mean, b.Count))]);
    }

    private static DateTimeOffset? Instant(HttpRequest request, string parameter)
    {
        var text = request.Query[parameter].ToString();
        if (string.IsNullOrEmpty(text))
            return null;

        // RFC 3339 only: a date and time with a zone (Z or +hh:mm), so no instant depends on the server's own zone.
        if (text.Length < 20 || !(text.EndsWith('Z') || text[^6] is '+' or '-') ||
            !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw new ProblemException(
                StatusCodes.Status400BadRequest, $"Invalid {parameter}",
                $"{parameter} must be an RFC 3339 date and time with a zone, such as 2026-06-02T12:00:00Z; got '{text}'.");
        }

        return value.ToUniversalTime();
    }
}

/// <summary>The body of <c>GET .../usage</c>.</summary>
/// <param name="Target">The target, <c>namespace/name</c>.</param>
/// <param name="Uid">Its UID (usage is kept per UID).</param>
/// <param name="From">The range's start.</param>
/// <param name="To">The range's end (exclusive).</param>
/// <param name="BlockSeconds">The length of a block, in seconds (300).</param>
/// <param name="Series">One entry per container and resource, then the replica count.</param>
public sealed record UsageHistoryResponse(string Target, string Uid, DateTimeOffset From, DateTimeOffset To, int BlockSeconds, IReadOnlyList<UsageSeriesView> Series);

/// <summary>One stored series.</summary>
/// <param name="Name">Its stored name, such as <c>container:web:cpu</c>.</param>
/// <param name="Container">The container, or null for <c>replicas</c>.</param>
/// <param name="Resource"><c>cpu</c>, <c>memory</c> or <c>replicas</c>.</param>
/// <param name="Unit"><c>cores</c>, <c>bytes</c> or <c>pods</c>.</param>
/// <param name="Blocks">Its blocks in the range, oldest first.</param>
public sealed record UsageSeriesView(string Name, string? Container, string Resource, string Unit, IReadOnlyList<UsageBlockView> Blocks);

/// <summary>One block: the highest and the mean sample across the target's pods, and how many samples it holds.</summary>
public sealed record UsageBlockView(DateTimeOffset Start, double Max, double Mean, int Count);

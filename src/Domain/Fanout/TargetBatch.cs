using System.Text.Json.Serialization;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Fanout;

/// <summary>The stage a batch of targets is queued for; each has its own queue.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchStage>))]
public enum BatchStage
{
    /// <summary>Read the targets' PodMetrics into their usage blocks.</summary>
    [JsonStringEnumMemberName("collect")]
    Collect,

    /// <summary>Forecast the targets and publish their suggestions.</summary>
    [JsonStringEnumMemberName("forecast")]
    Forecast,

    /// <summary>Apply the targets' latest suggestions.</summary>
    [JsonStringEnumMemberName("apply")]
    Apply,
}

/// <summary>
/// One queue message of the fan-out: the work of one stage for a few targets, as listed by the coordinator at one tick.
/// Small on purpose (ids and the tick, never specs or suggestions): the worker reads the current state itself, so a
/// message that waited is never applied from stale data. Idempotent: each target's work is keyed by its UID and the
/// tick (apply: by the suggestion UID), so a message delivered twice does the work once.
/// </summary>
/// <example>
/// <code>{"stage":"forecast","tick":"2026-05-01T10:05:00+00:00","part":3,"parts":100,"targets":[{"namespace":"shop","name":"cart","uid":"4f1c..."}]}</code>
/// </example>
public sealed record TargetBatch
{
    /// <summary>The stage to run for <see cref="Targets"/>.</summary>
    [JsonPropertyName("stage")]
    public required BatchStage Stage { get; init; }

    /// <summary>When the coordinator listed the work (its timer's tick).</summary>
    [JsonPropertyName("tick")]
    public required DateTimeOffset Tick { get; init; }

    /// <summary>This batch's number within its tick, from 1, for logs.</summary>
    [JsonPropertyName("part")]
    public int Part { get; init; } = 1;

    /// <summary>How many batches the tick was split into, for logs.</summary>
    [JsonPropertyName("parts")]
    public int Parts { get; init; } = 1;

    /// <summary>The targets, whole namespaces where they fit.</summary>
    [JsonPropertyName("targets")]
    public required IReadOnlyList<BatchTarget> Targets { get; init; }

    /// <summary>Names the batch in logs and audit records, e.g. <c>forecast 2026-05-01T10:05:00Z 3/100</c>.</summary>
    public override string ToString() => $"{Stage.ToString().ToLowerInvariant()} {Tick.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} {Part}/{Parts}";
}

/// <summary>One target of a <see cref="TargetBatch"/>: where it is and which one it is.</summary>
/// <param name="Namespace">The AIScaleTarget's namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Uid">Its <c>metadata.uid</c>: the work is done only for this very target, never a new one of the same name.</param>
/// <param name="SuggestionUid">For apply: the latest suggestion listed, the key that makes applying it idempotent.</param>
public sealed record BatchTarget(
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("uid")] string Uid,
    [property: JsonPropertyName("suggestionUid"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SuggestionUid = null)
{
    /// <summary>The target's key.</summary>
    [JsonIgnore]
    public TargetKey Key => new(Namespace, Name);
}

using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary>A Kubernetes label selector (<c>spec.selector</c>): the pods of a target without a controller reference.</summary>
public sealed record LabelSelector
{
    [JsonPropertyName("matchLabels")]
    public IReadOnlyDictionary<string, string>? MatchLabels { get; init; }

    [JsonPropertyName("matchExpressions")]
    public IReadOnlyList<LabelSelectorRequirement>? MatchExpressions { get; init; }

    /// <summary>Whether the selector has no requirement at all (and would match every pod).</summary>
    [JsonIgnore]
    public bool IsEmpty => (MatchLabels is null || MatchLabels.Count == 0) && (MatchExpressions is null || MatchExpressions.Count == 0);

    /// <summary>Whether a set of labels satisfies every requirement, as the API server decides it.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (MatchLabels is not null && MatchLabels.Any(l => !labels.TryGetValue(l.Key, out var v) || v != l.Value))
            return false;
        return MatchExpressions is null || MatchExpressions.All(r => r.Matches(labels));
    }

    /// <summary>The selector in the API's query syntax (<c>app=web,tier in (a,b),!canary</c>), as <c>kubectl -l</c> takes it.</summary>
    public override string ToString()
    {
        var parts = (MatchLabels ?? new Dictionary<string, string>())
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => $"{l.Key}={l.Value}")
            .Concat((MatchExpressions ?? []).Select(r => r.ToString()));
        return string.Join(",", parts);
    }
}

/// <summary>One <c>matchExpressions</c> entry of a <see cref="LabelSelector"/>.</summary>
public sealed record LabelSelectorRequirement
{
    public const string In = "In";
    public const string NotIn = "NotIn";
    public const string Exists = "Exists";
    public const string DoesNotExist = "DoesNotExist";

    [JsonPropertyName("key")]
    public string? Key { get; init; }

    /// <summary><c>In</c>, <c>NotIn</c>, <c>Exists</c> or <c>DoesNotExist</c>.</summary>
    [JsonPropertyName("operator")]
    public string? Operator { get; init; }

    [JsonPropertyName("values")]
    public IReadOnlyList<string>? Values { get; init; }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var has = labels.TryGetValue(Key ?? string.Empty, out var value);
        return Operator switch
        {
            In => has && (Values?.Contains(value!) ?? false),
            NotIn => !has || !(Values?.Contains(value!) ?? false),
            Exists => has,
            DoesNotExist => !has,
            _ => false,
        };
    }

    public override string ToString() => Operator switch
    {
        In => $"{Key} in ({string.Join(",", Values ?? [])})",
        NotIn => $"{Key} notin ({string.Join(",", Values ?? [])})",
        Exists => Key ?? string.Empty,
        DoesNotExist => "!" + Key,
        _ => $"{Key} {Operator}",
    };
}

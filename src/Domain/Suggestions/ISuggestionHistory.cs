using Thoras.Domain.Targets;

namespace Thoras.Domain.Suggestions;

/// <summary>Every suggestion published for a target (by UID), with whether it is expected to be applied and why not.</summary>
public interface ISuggestionHistory
{
    /// <summary>Records a published suggestion.</summary>
    Task AppendAsync(string targetUid, SuggestionRecord record, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="limit"/> records, newest first.</summary>
    Task<IReadOnlyList<SuggestionRecord>> ListAsync(string targetUid, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes the target's records published before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneAsync(string targetUid, DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Deletes the target's whole history (on unenrolment).</summary>
    Task DeleteAllAsync(string targetUid, CancellationToken cancellationToken);
}

/// <summary>One published suggestion as history keeps it.</summary>
/// <param name="PublishedAt">When it was published.</param>
/// <param name="Suggestion">What was published to <c>status.latestSuggestion</c>: what would be done.</param>
/// <param name="ExpectedToApply">Whether the apply stage is expected to apply it.</param>
/// <param name="Reason">Why it is (or is not) expected to be applied.</param>
public sealed record SuggestionRecord(DateTimeOffset PublishedAt, Suggestion Suggestion, bool ExpectedToApply, string Reason);

using System.Text.Json;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;

namespace Thoras.Functions.Targets;

/// <summary>Body of <c>PUT /api/targets/{namespace}/{name}/mode</c>.</summary>
/// <param name="Direction"><c>vertical</c> or <c>horizontal</c>.</param>
/// <param name="Mode"><c>autonomous</c> (<c>auto</c>), <c>recommendation</c> (<c>recommend</c>, <c>rec</c>) or <c>observation</c> (<c>observe</c>).</param>
/// <param name="Reason">Why, for the audit log (at most 500 characters).</param>
/// <param name="Actor">Who, when the caller is not signed in through App Service authentication. Default: <c>api</c>.</param>
public sealed record ModeRequest(string Direction, string Mode, string? Reason = null, string? Actor = null);

/// <summary>Optional body of <c>DELETE /api/targets/{namespace}/{name}</c>.</summary>
/// <param name="Reason">Why, for the audit log.</param>
/// <param name="Actor">Who. Default: <c>api</c>.</param>
public sealed record UnenrollRequest(string? Reason = null, string? Actor = null);

/// <summary>The list of targets.</summary>
public sealed record TargetList(IReadOnlyList<TargetView> Targets);

/// <summary>One target as the API shows it.</summary>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Uid">Its <c>metadata.uid</c>: its identity.</param>
/// <param name="Workload">What it scales: <c>Deployment/web</c>, or its pod selector.</param>
/// <param name="VerticalMode">The vertical mode in its spec; null when it is not scaled vertically (or the spec is invalid).</param>
/// <param name="HorizontalMode">The horizontal mode in its spec; null when it is not scaled horizontally.</param>
/// <param name="EnrolledSince">When the app enrolled it; null until the first sync tick (or API call) sees it.</param>
/// <param name="SuggestionsApplied">Whether applied suggestions are in effect now, per direction.</param>
/// <param name="LatestSuggestion">The latest suggestion from its status, as the CRD writes it; null when none was published.</param>
/// <param name="Unenrolling">Whether it is being unenrolled (deleted, waiting for cleanup).</param>
/// <param name="Problems">Why its spec is invalid; null when it is valid.</param>
/// <param name="Conditions">Its <c>status.conditions</c> (Ready, Scaling) as the app last wrote them; null when its spec is invalid.</param>
public sealed record TargetView(
    string Namespace,
    string Name,
    string Uid,
    string? Workload,
    string? VerticalMode,
    string? HorizontalMode,
    DateTimeOffset? EnrolledSince,
    AppliedView SuggestionsApplied,
    JsonElement? LatestSuggestion,
    bool Unenrolling,
    IReadOnlyList<string>? Problems,
    IReadOnlyList<TargetCondition>? Conditions = null);

/// <summary>Whether applied suggestions are in effect, per direction.</summary>
/// <param name="Vertical">Pods run with applied requests (a vertical baseline is recorded).</param>
/// <param name="Horizontal">The HPA carries a predictive floor.</param>
/// <param name="VerticalSuggestionUid">The suggestion applied vertically.</param>
/// <param name="HorizontalSuggestionUid">The suggestion applied horizontally.</param>
public sealed record AppliedView(bool Vertical, bool Horizontal, string? VerticalSuggestionUid, string? HorizontalSuggestionUid);

/// <summary>What a mode change did.</summary>
/// <param name="Namespace">The target's namespace.</param>
/// <param name="Name">The target's name.</param>
/// <param name="Uid">Its UID.</param>
/// <param name="Direction">The direction changed.</param>
/// <param name="PreviousMode">Its mode before.</param>
/// <param name="Mode">Its mode now.</param>
/// <param name="Changed">False when it already had that mode.</param>
/// <param name="Revert">What was reverted on the workload.</param>
public sealed record ModeChangeResult(string Namespace, string Name, string Uid, string Direction, string PreviousMode, string Mode, bool Changed, RevertView Revert);

/// <summary>What unenroll did.</summary>
/// <param name="Namespace">The target's namespace.</param>
/// <param name="Name">The target's name.</param>
/// <param name="Uid">Its UID.</param>
/// <param name="Revert">What was reverted on the workload.</param>
/// <param name="PurgedItems">How many rows and blobs of its UID were deleted.</param>
/// <param name="FinalizerRemoved">Whether the finalizer was removed, letting the AST go.</param>
public sealed record UnenrollResultView(string Namespace, string Name, string Uid, RevertView Revert, int PurgedItems, bool FinalizerRemoved);

/// <summary>What was reverted on a workload.</summary>
/// <param name="Restarted">Whether the workload was restarted (its pods come back with the controller spec).</param>
/// <param name="RestartedWorkload">The workload restarted: <c>Deployment/web</c>.</param>
/// <param name="RestoredMinReplicas">The HPA floor removed, if one was.</param>
/// <param name="Summary">One line saying what was done.</param>
/// <param name="Notes">What could not be reverted, and why.</param>
public sealed record RevertView(bool Restarted, string? RestartedWorkload, RestoredFloor? RestoredMinReplicas, string Summary, IReadOnlyList<string> Notes)
{
    public static RevertView Of(RevertOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new RevertView(outcome.Restarted is not null, outcome.Restarted, outcome.RestoredFloor, outcome.Describe(), outcome.Notes);
    }
}

namespace Thoras.Domain.Pause;

/// <summary>One reason scaling is paused. Scaling is paused while at least one holder is present.</summary>
/// <param name="Id">Which holder: <c>manual</c>, <c>window:&lt;id&gt;</c>, <c>configmap</c> or <c>app-setting</c>.</param>
/// <param name="Actor">Who placed it: a user name, <c>api</c>, <c>configmap</c>, <c>window:&lt;id&gt;</c> or <c>app-setting</c>.</param>
/// <param name="Reason">Why, as given by the actor; may be empty.</param>
/// <param name="Since">When it was placed (for a window, when its current occurrence began).</param>
public sealed record PauseHolder(string Id, string Actor, string? Reason, DateTimeOffset Since)
{
    /// <summary>The pause placed through the API or the dashboard.</summary>
    public const string Manual = "manual";

    /// <summary>The pause adopted from a direct edit of the ConfigMap mirror.</summary>
    public const string ConfigMap = "configmap";

    /// <summary>The pause held by the <c>Thoras__ScalingPaused</c> app setting (the Azure portal toggle).</summary>
    public const string AppSetting = "app-setting";

    private const string WindowPrefix = "window:";

    /// <summary>The holder id of a maintenance window.</summary>
    public static string Window(string windowId) => WindowPrefix + windowId;

    /// <summary>The window id when <paramref name="holderId"/> is a window holder; otherwise null.</summary>
    public static string? WindowIdOf(string holderId) =>
        holderId.StartsWith(WindowPrefix, StringComparison.Ordinal) ? holderId[WindowPrefix.Length..] : null;
}

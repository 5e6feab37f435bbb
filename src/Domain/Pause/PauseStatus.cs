namespace Thoras.Domain.Pause;

/// <summary>
/// The system-wide pause as one answer, used both by the apply gate (<see cref="SuggestionGate"/>) and by
/// <c>GET /api/system/pause</c>, so the two never disagree. It is made of the stored holders, the app setting and the
/// ConfigMap mirror, and says which of them could not be read. Scaling counts as paused when the stored state or the
/// mirror cannot be read (the gate fails closed), when any holder is present, when the app setting is on before the
/// sync step has made it a holder, and when the mirror shows <c>scaling-paused: true</c> that the sync step has not
/// adopted yet. <see cref="Reason"/> gives the first of these that holds, in that order.
/// </summary>
public sealed record PauseStatus
{
    /// <summary>The reason when nothing pauses scaling.</summary>
    public const string NotPaused = "not paused";

    /// <summary>Whether scaling is paused (nothing is applied).</summary>
    public required bool Paused { get; init; }

    /// <summary>Why it is paused, in a sentence; <see cref="NotPaused"/> otherwise.</summary>
    public required string Reason { get; init; }

    /// <summary>The stored pause state; null when it could not be read.</summary>
    public PauseState? State { get; init; }

    /// <summary>What the ConfigMap mirror shows; null when it could not be read.</summary>
    public MirrorObservation? Mirror { get; init; }

    /// <summary>Whether the app setting <c>Thoras__ScalingPaused</c> is on.</summary>
    public bool AppSettingPaused { get; init; }

    /// <summary>What could not be read, each with its error; empty when everything was read.</summary>
    public IReadOnlyList<UnreadablePauseSource> Unreadable { get; init; } = [];

    /// <summary>The apply gate's decision.</summary>
    public GateDecision Gate => Paused ? GateDecision.DoNotApply(Reason) : GateDecision.Apply;

    /// <summary>Reads the stored state and the mirror (each failure is kept, not thrown) and decides.</summary>
    public static async Task<PauseStatus> ReadAsync(IPauseStore store, IPauseMirror mirror, PauseOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(mirror);
        ArgumentNullException.ThrowIfNull(options);
        var unreadable = new List<UnreadablePauseSource>();
        PauseState? state = null;
        try
        {
            state = await store.ReadAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            unreadable.Add(new UnreadablePauseSource(UnreadablePauseSource.StoreName, ex.Message));
        }

        var observed = await ObserveAsync(mirror, unreadable, cancellationToken);
        return Of(state, observed, options.ScalingPaused, unreadable);
    }

    /// <summary>The status with <paramref name="state"/> already known (just written); only the mirror is read.</summary>
    public static async Task<PauseStatus> ReadAsync(PauseState state, IPauseMirror mirror, PauseOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(mirror);
        ArgumentNullException.ThrowIfNull(options);
        var unreadable = new List<UnreadablePauseSource>();
        var observed = await ObserveAsync(mirror, unreadable, cancellationToken);
        return Of(state, observed, options.ScalingPaused, unreadable);
    }

    /// <summary>The status of a state and mirror that were both read.</summary>
    public static PauseStatus Of(PauseState state, MirrorObservation mirror, bool appSettingPaused)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(mirror);
        return Of(state, mirror, appSettingPaused, []);
    }

    private static PauseStatus Of(PauseState? state, MirrorObservation? mirror, bool appSettingPaused, List<UnreadablePauseSource> unreadable) => new()
    {
        Paused = unreadable.Count > 0 || state!.IsPaused || appSettingPaused || mirror!.ScalingPaused,
        Reason = ReasonOf(state, mirror, appSettingPaused, unreadable),
        State = state,
        Mirror = mirror,
        AppSettingPaused = appSettingPaused,
        Unreadable = unreadable,
    };

    private static string ReasonOf(PauseState? state, MirrorObservation? mirror, bool appSettingPaused, List<UnreadablePauseSource> unreadable)
    {
        if (unreadable.Count > 0)
            return $"{unreadable[0].Source} cannot be read: {unreadable[0].Error}";
        if (state!.IsPaused)
            return "paused by " + string.Join(", ", state.Holders.Values.Select(h => h.Reason is { Length: > 0 } r ? $"{h.Id} ({h.Actor}: {r})" : $"{h.Id} ({h.Actor})"));
        if (appSettingPaused)
            return "paused by app-setting (Thoras__ScalingPaused is true)";
        return mirror!.ScalingPaused
            ? "paused by the ConfigMap mirror (scaling-paused: true), which the sync step has not yet reconciled"
            : NotPaused;
    }

    private static async Task<MirrorObservation?> ObserveAsync(IPauseMirror mirror, List<UnreadablePauseSource> unreadable, CancellationToken cancellationToken)
    {
        try
        {
            return await mirror.ReadAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            unreadable.Add(new UnreadablePauseSource($"the pause mirror {mirror.Name}", ex.Message));
            return null;
        }
    }
}

/// <summary>A part of the pause state that could not be read, so scaling counts as paused.</summary>
/// <param name="Source">What could not be read, e.g. <c>the pause mirror ConfigMap thoras/thoras-operator-system-config</c>.</param>
/// <param name="Error">Why, as the reader said.</param>
public sealed record UnreadablePauseSource(string Source, string Error)
{
    /// <summary>The source name of the stored pause state.</summary>
    public const string StoreName = "the pause state";
}

namespace Thoras.Domain.Pause;

/// <summary>Pause settings, bound from the <c>Thoras</c> configuration section (app settings <c>Thoras__*</c>).</summary>
public sealed class PauseOptions
{
    public const string SectionName = "Thoras";

    /// <summary>
    /// The Azure portal toggle: while true, scaling is paused by the <c>app-setting</c> holder, which only turning
    /// the setting off removes. App setting <c>Thoras__ScalingPaused</c>. Default: false.
    /// </summary>
    public bool ScalingPaused { get; set; }
}

namespace Thoras.Functions.Hosting;

/// <summary>
/// The app settings that name the fan-out's queues, with their defaults. Queue triggers name them as <c>%Setting%</c>
/// (their poison queues as <c>%Setting%-poison</c>); Azure sets them from Bicep and the local host falls back to these
/// defaults when a setting is absent.
/// </summary>
public static class WorkQueueSettings
{
    public const string Collect = "CollectQueue";
    public const string Forecast = "ForecastQueue";
    public const string Apply = "ApplyQueue";

    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [Collect] = "thoras-collect",
        [Forecast] = "thoras-forecast",
        [Apply] = "thoras-apply",
    };
}

using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Thoras.Domain.Pause;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Thoras.Infrastructure.Kubernetes;

/// <summary>
/// The pause mirror as the ConfigMap <c>thoras-operator-system-config</c>: data key <c>system-config.yaml</c> holds
/// YAML with <c>scaling-paused: true|false</c> (other keys in it are kept), and annotations carry who changed it,
/// when and why. The app also records in an annotation the value and revision it wrote, which is how a direct
/// edit of the data is told apart from the app's own write. Writes use the resourceVersion, so a concurrent edit
/// is never overwritten blindly. Only the ConfigMap is touched: no pod is restarted.
/// </summary>
public sealed class ConfigMapPauseMirror(IKubernetes kubernetes, PauseMirrorOptions options) : IPauseMirror
{
    /// <summary>The ConfigMap's name.</summary>
    public const string ConfigMapName = "thoras-operator-system-config";

    /// <summary>The data key holding the YAML.</summary>
    public const string DataKey = "system-config.yaml";

    /// <summary>The YAML key holding the pause flag.</summary>
    public const string PausedKey = "scaling-paused";

    /// <summary>Annotation: the value of <c>scaling-paused</c> the app last wrote.</summary>
    public const string WrittenPausedAnnotation = "thoras.ai/scaling-paused";

    /// <summary>Annotation: the pause-state revision the app last wrote.</summary>
    public const string RevisionAnnotation = "thoras.ai/pause-revision";

    /// <summary>Annotation: the pause holders, comma-separated.</summary>
    public const string HoldersAnnotation = "thoras.ai/paused-by";

    /// <summary>Annotation: who made the latest change.</summary>
    public const string ChangedByAnnotation = "thoras.ai/changed-by";

    /// <summary>Annotation: when the latest change was made (ISO 8601, UTC).</summary>
    public const string ChangedAtAnnotation = "thoras.ai/changed-at";

    /// <summary>Annotation: why the latest change was made.</summary>
    public const string ReasonAnnotation = "thoras.ai/change-reason";

    private const int MaxAttempts = 5;

    private readonly string _namespace = options.ControlPlaneNamespace;

    public string Name => $"ConfigMap {_namespace}/{ConfigMapName}";

    public async Task<MirrorObservation> ReadAsync(CancellationToken cancellationToken)
    {
        var configMap = await GetAsync(cancellationToken);
        return configMap is null ? MirrorObservation.Missing : Observe(configMap);
    }

    public async Task WriteAsync(PauseState state, MirrorWriteMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = await GetAsync(cancellationToken);
            if (current is not null && IsUpToDate(Observe(current), state, mode))
            {
                return;
            }

            try
            {
                if (current is null)
                {
                    var created = new V1ConfigMap
                    {
                        Metadata = new V1ObjectMeta { Name = ConfigMapName, NamespaceProperty = _namespace, Annotations = Annotations(state, null) },
                        Data = new Dictionary<string, string> { [DataKey] = WithPaused(null, state.IsPaused) },
                    };
                    await kubernetes.CoreV1.CreateNamespacedConfigMapAsync(created, _namespace, cancellationToken: cancellationToken);
                }
                else
                {
                    current.Metadata.Annotations = Annotations(state, current.Metadata.Annotations);
                    current.Data ??= new Dictionary<string, string>();
                    current.Data[DataKey] = WithPaused(current.Data.TryGetValue(DataKey, out var yaml) ? yaml : null, state.IsPaused);

                    // The resourceVersion read above makes this a compare-and-swap: a concurrent edit answers 409.
                    await kubernetes.CoreV1.ReplaceNamespacedConfigMapAsync(current, ConfigMapName, _namespace, cancellationToken: cancellationToken);
                }

                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict && attempt < MaxAttempts)
            {
                // Created or changed by someone else since the read: read again and decide again.
            }
        }
    }

    private static bool IsUpToDate(MirrorObservation observed, PauseState state, MirrorWriteMode mode) =>
        mode switch
        {
            MirrorWriteMode.WriteThrough => observed.IsDirectEdit || observed.WrittenRevision >= state.Revision,
            _ => observed.Reflects(state),
        };

    private async Task<V1ConfigMap?> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await kubernetes.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapName, _namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static MirrorObservation Observe(V1ConfigMap configMap)
    {
        var annotations = configMap.Metadata?.Annotations;
        var yaml = configMap.Data is { } data && data.TryGetValue(DataKey, out var text) ? text : null;
        bool? written = annotations is not null && annotations.TryGetValue(WrittenPausedAnnotation, out var w) && bool.TryParse(w, out var wb) ? wb : null;
        long? revision = annotations is not null && annotations.TryGetValue(RevisionAnnotation, out var r) && long.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : null;
        return new MirrorObservation(true, ReadPaused(yaml), written, revision);
    }

    /// <summary>Reads <c>scaling-paused</c> from the YAML; a missing key or document means false.</summary>
    /// <exception cref="InvalidDataException">The YAML is malformed or the value is not a boolean.</exception>
    public static bool ReadPaused(string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return false;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new InvalidDataException($"ConfigMap {ConfigMapName} key {DataKey} is not valid YAML: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return false;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidDataException($"ConfigMap {ConfigMapName} key {DataKey} must be a YAML mapping.");
        }

        if (!root.Children.TryGetValue(new YamlScalarNode(PausedKey), out var value))
        {
            return false;
        }

        return value is YamlScalarNode { Value: { } v } && bool.TryParse(v, out var paused)
            ? paused
            : throw new InvalidDataException($"ConfigMap {ConfigMapName}: {PausedKey} must be true or false.");
    }

    /// <summary>Sets <c>scaling-paused</c> in the YAML, keeping every other key.</summary>
    public static string WithPaused(string? yaml, bool paused)
    {
        var document = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(yaml))
        {
            try
            {
                document = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object?>>(yaml) ?? document;
            }
            catch (YamlException)
            {
                // A malformed document cannot be merged; the flag is the part the app owns, so it is written alone.
                document = new Dictionary<string, object?>(StringComparer.Ordinal);
            }
        }

        document[PausedKey] = paused;
        return new SerializerBuilder().Build().Serialize(document);
    }

    private static Dictionary<string, string> Annotations(PauseState state, IDictionary<string, string>? existing)
    {
        var annotations = existing is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(existing, StringComparer.Ordinal);
        annotations[WrittenPausedAnnotation] = state.IsPaused ? "true" : "false";
        annotations[RevisionAnnotation] = state.Revision.ToString(CultureInfo.InvariantCulture);
        annotations[HoldersAnnotation] = string.Join(",", state.Holders.Keys);
        annotations[ChangedByAnnotation] = state.ChangedBy ?? string.Empty;
        annotations[ChangedAtAnnotation] = state.ChangedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? string.Empty;
        annotations[ReasonAnnotation] = state.ChangeReason ?? string.Empty;
        return annotations;
    }
}

using Thoras.Domain.Targets;

namespace Thoras.TestSupport.Builders;

/// <summary>
/// An immutable builder of <see cref="AIScaleTarget"/>s for tests, shared by every test project (Domain.Tests links
/// this file): each <c>With...</c> returns a new builder, so a test starts from a named base and changes one thing.
/// </summary>
/// <example>
/// <code>
/// var target = TargetBuilder.Target("web").Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "400m").Build();
/// </code>
/// </example>
public sealed record TargetBuilder
{
    /// <summary>The instant the builders date suggestions and conditions by default.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private TargetMetadata Metadata { get; init; } = new() { Namespace = "shop", Name = "web", Uid = "uid-web", ResourceVersion = "1", Generation = 1 };

    private TargetSpec Spec { get; init; } = new() { ScaleTargetRef = Deployment("web") };

    private TargetStatus Status { get; init; } = new();

    /// <summary>A target named <paramref name="name"/> (UID <c>uid-&lt;name&gt;</c>) in <paramref name="namespace"/>, scaling the Deployment of the same name, with no direction yet.</summary>
    public static TargetBuilder Target(string name = "web", string @namespace = "shop") => new TargetBuilder() with
    {
        Metadata = new TargetMetadata { Namespace = @namespace, Name = name, Uid = "uid-" + name, ResourceVersion = "1", Generation = 1 },
        Spec = new TargetSpec { ScaleTargetRef = Deployment(name) },
    };

    /// <summary>The <c>scaleTargetRef</c> of the Deployment <paramref name="name"/>.</summary>
    public static ScaleTargetRef Deployment(string name) => new() { ApiVersion = "apps/v1", Kind = ScaleTargetRef.Deployment, Name = name };

    /// <summary>Scaled vertically in <paramref name="mode"/>, container <c>app</c>, with <paramref name="updateMode"/> when given.</summary>
    public TargetBuilder Vertical(TargetMode mode, UpdateMode? updateMode = null) => this with
    {
        Spec = Spec with
        {
            Vertical = (Spec.Vertical ?? new VerticalSpec()) with
            {
                Mode = mode,
                UpdatePolicy = updateMode is { } update ? new UpdatePolicy { UpdateMode = update } : Spec.Vertical?.UpdatePolicy,
            },
        },
    };

    /// <summary>Scaled horizontally in <paramref name="mode"/>, 1 to 20 replicas.</summary>
    public TargetBuilder Horizontal(TargetMode mode) => this with
    {
        Spec = Spec with { Horizontal = new HorizontalSpec { Mode = mode, MinReplicas = 1, MaxReplicas = 20 } },
    };

    /// <summary>At most <paramref name="maxDisrupted"/> evictions per <paramref name="interval"/>.</summary>
    public TargetBuilder WithDisruption(int maxDisrupted, TimeSpan interval) => this with
    {
        Spec = Spec with { Vertical = (Spec.Vertical ?? new VerticalSpec()) with { Disruption = new DisruptionPolicy { MaxDisrupted = maxDisrupted, Interval = interval } } },
    };

    /// <summary>OOM remediation on or off.</summary>
    public TargetBuilder WithOomRemediation(bool enabled) => this with
    {
        Spec = Spec with { Vertical = (Spec.Vertical ?? new VerticalSpec()) with { OomRemediation = new OomRemediation { Enabled = enabled } } },
    };

    /// <summary>Its pods are found by <c>app=&lt;app&gt;</c> instead of a workload.</summary>
    public TargetBuilder WithSelector(string app) => this with
    {
        Spec = Spec with { ScaleTargetRef = null, Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } } },
    };

    /// <summary>Its spec is <paramref name="change"/> applied to the spec so far.</summary>
    public TargetBuilder WithSpec(Func<TargetSpec, TargetSpec> change) => this with { Spec = (change ?? throw new ArgumentNullException(nameof(change)))(Spec) };

    /// <summary>Its <c>metadata.uid</c>.</summary>
    public TargetBuilder WithUid(string uid) => this with { Metadata = Metadata with { Uid = uid } };

    /// <summary>Its <c>metadata.resourceVersion</c>.</summary>
    public TargetBuilder WithResourceVersion(string? version) => this with { Metadata = Metadata with { ResourceVersion = version } };

    /// <summary>Being deleted (a deletion timestamp, waiting for its finalizer).</summary>
    public TargetBuilder Deleting() => this with { Metadata = Metadata with { DeletionTimestamp = Now, Finalizers = [AIScaleTarget.CleanupFinalizer] } };

    /// <summary>
    /// A published suggestion <paramref name="uid"/> started at <paramref name="start"/> (default <see cref="Now"/>): requests of
    /// container <c>app</c> when <paramref name="cpu"/> or <paramref name="memory"/> is set, a replica count when <paramref name="replicas"/> is.
    /// </summary>
    public TargetBuilder WithSuggestion(string uid, string? cpu = null, string? memory = null, int? replicas = null, bool enoughData = true, DateTimeOffset? start = null) => this with
    {
        Status = Status with
        {
            LatestSuggestion = new Suggestion
            {
                SuggestionUID = uid,
                Start = start ?? Now,
                End = (start ?? Now).AddMinutes(15),
                HasEnoughDataToScale = enoughData,
                SuggestedReplicas = replicas,
                ResourceRecommendations = cpu is null && memory is null
                    ? null
                    : [new ResourceRecommendation { ContainerName = "app", Requests = new ResourceAmounts { Cpu = cpu is null ? null : Quantity.Parse(cpu), Memory = memory is null ? null : Quantity.Parse(memory) } }],
            },
        },
    };

    /// <summary><c>status.lastProcessedSuggestionUID</c>.</summary>
    public TargetBuilder WithLastProcessed(string uid) => this with { Status = Status with { LastProcessedSuggestionUID = uid } };

    /// <summary>The target.</summary>
    public AIScaleTarget Build() => new(Metadata, Spec, Status);
}

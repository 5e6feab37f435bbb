namespace Thoras.Functions.Dashboard;

/// <summary>The body of <c>GET /api/fleet</c>: every target with what the dashboard's fleet table shows.</summary>
/// <param name="Cluster">The cluster's name (<c>Dashboard__ClusterName</c>).</param>
/// <param name="Caller">Who the app takes the caller to be: the signed-in principal, or <c>api</c>.</param>
/// <param name="GeneratedAt">The app's clock when the view was made (ahead of real time under <c>thoras serve --speed-up</c>).</param>
/// <param name="Prices">The node prices the estimates use.</param>
/// <param name="Totals">The fleet's sums.</param>
/// <param name="Targets">One row per target, by namespace then name.</param>
public sealed record FleetResponse(string Cluster, string Caller, DateTimeOffset GeneratedAt, PricesView Prices, FleetTotals Totals, IReadOnlyList<FleetRow> Targets);

/// <summary>The node prices the estimates use.</summary>
/// <param name="CoreHour">Per requested CPU core and hour.</param>
/// <param name="GiBHour">Per requested GiB of memory and hour.</param>
/// <param name="Currency">Their currency.</param>
/// <param name="HoursPerMonth">The hours a monthly figure counts (730).</param>
public sealed record PricesView(double CoreHour, double GiBHour, string Currency, double HoursPerMonth);

/// <summary>The fleet's sums.</summary>
/// <param name="Targets">How many targets there are.</param>
/// <param name="Autonomous">How many have an autonomous direction.</param>
/// <param name="WastePerMonth">The estimated waste of all targets per month.</param>
/// <param name="SavingPerMonth">The estimated saving of all targets per month.</param>
public sealed record FleetTotals(int Targets, int Autonomous, double WastePerMonth, double SavingPerMonth);

/// <summary>One target in the fleet table.</summary>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Uid">Its <c>metadata.uid</c>.</param>
/// <param name="Workload">What it scales: <c>Deployment/web</c>, or its pod selector; null when its spec is invalid.</param>
/// <param name="WorkloadFound">Whether the Deployment or StatefulSet exists (always true for a selector).</param>
/// <param name="VerticalMode">The vertical mode; null when it is not scaled vertically.</param>
/// <param name="HorizontalMode">The horizontal mode; null when it is not scaled horizontally.</param>
/// <param name="Unenrolling">Whether it is being unenrolled.</param>
/// <param name="Problems">Why its spec is invalid; null when it is valid.</param>
/// <param name="Ready">Its <c>Ready</c> condition, if written.</param>
/// <param name="Scaling">Its <c>Scaling</c> condition, if written.</param>
/// <param name="Containers">Per container: the controller spec, the running pods' requests and the suggestion.</param>
/// <param name="Replicas">Replicas, the HPA and the suggested floor; null for a selector target.</param>
/// <param name="LatestSuggestion">The latest published suggestion; null when none was.</param>
/// <param name="LastApplied">When suggestions were last applied, per direction.</param>
/// <param name="Estimate">The waste and saving estimate; null when the workload could not be read.</param>
/// <param name="Error">Why the workload could not be read; null when it could.</param>
public sealed record FleetRow(
    string Namespace,
    string Name,
    string Uid,
    string? Workload,
    bool WorkloadFound,
    string? VerticalMode,
    string? HorizontalMode,
    bool Unenrolling,
    IReadOnlyList<string>? Problems,
    ConditionView? Ready,
    ConditionView? Scaling,
    IReadOnlyList<ContainerRow> Containers,
    ReplicasRow? Replicas,
    SuggestionSummary? LatestSuggestion,
    LastAppliedView LastApplied,
    EstimateView? Estimate,
    string? Error);

/// <summary>A status condition.</summary>
public sealed record ConditionView(string Status, string Reason, string Message, DateTimeOffset LastTransitionTime);

/// <summary>One container's requests three ways.</summary>
/// <param name="Name">The container's name.</param>
/// <param name="Spec">The controller spec (the pod template): what a revert returns to.</param>
/// <param name="Running">The requests most running pods have now.</param>
/// <param name="RunningUniform">False when running pods differ (a resize or rollout in progress).</param>
/// <param name="Suggested">The latest suggestion's requests; null without one.</param>
public sealed record ContainerRow(string Name, ResourcesView? Spec, ResourcesView? Running, bool RunningUniform, ResourcesView? Suggested);

/// <summary>CPU and memory requests, as Kubernetes writes them and as numbers (cores, bytes).</summary>
public sealed record ResourcesView(string? Cpu, string? Memory, double? CpuCores, double? MemoryBytes);

/// <summary>Replicas and the HPA floor.</summary>
/// <param name="Desired">The workload's desired replicas.</param>
/// <param name="Running">Pods running or starting now.</param>
/// <param name="Hpa">The single HPA's name; null when there is none or more than one.</param>
/// <param name="MinReplicas">The HPA's <c>minReplicas</c> now (a predictive floor while one is applied).</param>
/// <param name="MaxReplicas">The HPA's <c>maxReplicas</c>.</param>
/// <param name="OriginalMinReplicas">The <c>minReplicas</c> restored on revert, while a floor is applied.</param>
/// <param name="Suggested">The latest suggested replica count.</param>
public sealed record ReplicasRow(int? Desired, int Running, string? Hpa, int? MinReplicas, int? MaxReplicas, int? OriginalMinReplicas, int? Suggested);

/// <summary>The latest published suggestion in brief.</summary>
public sealed record SuggestionSummary(string? Uid, DateTimeOffset Start, DateTimeOffset End, bool HasEnoughDataToScale);

/// <summary>When suggestions were last applied, per direction; null while none is in effect.</summary>
public sealed record LastAppliedView(DateTimeOffset? Vertical, DateTimeOffset? Horizontal, string? VerticalSuggestionUid, string? HorizontalSuggestionUid);

/// <summary>The estimate of <see cref="Thoras.Domain.Fleet.ProvisioningEstimate"/>, per month.</summary>
public sealed record EstimateView(double WasteCores, double WasteGiB, double SavingCores, double SavingGiB, double WastePerMonth, double SavingPerMonth);

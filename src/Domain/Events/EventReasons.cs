namespace Thoras.Domain.Events;

/// <summary>The reasons of the events the app records (docs/observability.md lists each with its type and action).</summary>
public static class EventReasons
{
    /// <summary>Normal: running pods were resized in place to the suggestion.</summary>
    public const string ResizedInPlace = "ResizedInPlace";

    /// <summary>Warning: the node can never fit a pod's resize and the update mode does not allow eviction: it keeps its requests.</summary>
    public const string ResizeInfeasible = "ResizeInfeasible";

    /// <summary>Normal: pods were evicted so they come back with the suggestion.</summary>
    public const string Evicted = "Evicted";

    /// <summary>Normal: the workload was restarted so its pods come back with the controller spec (a revert).</summary>
    public const string RestartedToRevert = "RestartedToRevert";

    /// <summary>Normal: the HPA's minReplicas was set to the suggested replicas (a predictive floor).</summary>
    public const string HpaFloorSet = "HpaFloorSet";

    /// <summary>Normal: the HPA's original minReplicas was restored.</summary>
    public const string HpaFloorRestored = "HpaFloorRestored";

    /// <summary>Warning: a container was OOM-killed and its memory floor was raised.</summary>
    public const string OomFloorRaised = "OomFloorRaised";

    /// <summary>Normal: scaling was paused system-wide; suggestions are recorded, not applied.</summary>
    public const string ScalingPaused = "ScalingPaused";

    /// <summary>Normal: scaling resumed; running pods are reconciled to the latest suggestion.</summary>
    public const string ScalingResumed = "ScalingResumed";

    /// <summary>Warning: the spec breaks a rule of the CRD; nothing is collected or applied.</summary>
    public const string InvalidSpec = "InvalidSpec";

    /// <summary>Warning: applying a suggestion failed; it is retried next tick.</summary>
    public const string ApplyFailed = "ApplyFailed";

    /// <summary>Normal: the target was unenrolled: its workload reverted and its state deleted.</summary>
    public const string Unenrolled = "Unenrolled";
}

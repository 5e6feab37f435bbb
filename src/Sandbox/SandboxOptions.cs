using Microsoft.Extensions.Logging;

namespace Thoras.Sandbox;

/// <summary>How a <see cref="SandboxServer"/> listens, how big its node is, how fast simulated time runs and what it seeds.</summary>
public sealed class SandboxOptions
{
    /// <summary>Port on 127.0.0.1. Default 0: a free port, read it back from <see cref="SandboxServer.BaseUrl"/>.</summary>
    public int Port { get; init; }

    /// <summary>CPU capacity of the single simulated node, as a quantity. Default <c>"16"</c> cores.
    /// A resize whose pod requests exceed it is reported Infeasible.</summary>
    public string NodeCpu { get; init; } = "16";

    /// <summary>Memory capacity of the single simulated node, as a quantity. Default <c>"64Gi"</c>.</summary>
    public string NodeMemory { get; init; } = "64Gi";

    /// <summary>How many simulated seconds pass per real second when replaying usage. Default 1.
    /// At 288, a 5-minute trace sample passes every real second, a day in 5 minutes.</summary>
    public double SpeedUp { get; init; } = 1;

    /// <summary>Where simulated time comes from. Default <see cref="TimeProvider.System"/>. Object timestamps use it unscaled.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Folder the <c>trace:</c> usage sources are relative to. Default null: <c>THORAS_TRACES_DIR</c>, else the
    /// first <c>shared/traces</c> folder found walking up from the app's directory.</summary>
    public string? TracesDirectory { get; init; }

    /// <summary>Usage source for pods whose workload names none. Default <c>"ratio:0.5"</c>: half of the requests.</summary>
    public string DefaultUsage { get; init; } = "ratio:0.5";

    /// <summary>Simulated time between usage samples for sources without their own interval (ratios), used for OOM checks.
    /// Default 1 minute.</summary>
    public TimeSpan UsageSampleInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long (real time) after a container starts before PodMetrics report it, as metrics-server needs a scrape.
    /// Default zero: at once.</summary>
    public TimeSpan MetricsWarmup { get; init; } = TimeSpan.Zero;

    /// <summary>A mutating webhook URL that reviews every pod creation, in addition to applied MutatingWebhookConfigurations.
    /// Default null.</summary>
    public Uri? AdmissionWebhookUrl { get; init; }

    /// <summary>Longest wait for an admission webhook before failing open. Default 10 seconds (the API server's default).</summary>
    public TimeSpan AdmissionTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an Event is kept after its last write, as the API server's <c>--event-ttl</c>. Default 1 hour.</summary>
    public TimeSpan EventTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Seed files (multi-document YAML manifests) applied at start, in order. Default none.
    /// <see cref="DemoSeedFile"/> is a ready-made one.</summary>
    public IList<string> SeedFiles { get; init; } = [];

    /// <summary>The demo seed shipped with the sandbox (namespace <c>shop</c>: two Deployments and a StatefulSet replaying
    /// real traces, an HPA and a PDB).</summary>
    public static string DemoSeedFile => Path.Combine(AppContext.BaseDirectory, "Seeds", "demo.yaml");

    /// <summary>
    /// A file that keeps the sandbox's objects across restarts, like a kind cluster's etcd: loaded at start when it exists
    /// (then <see cref="SeedFiles"/> are not applied, so what was changed stays changed), written every two seconds and at
    /// stop. Default null: every start is empty.
    /// </summary>
    public string? StateFile { get; init; }

    /// <summary>Logging for the server. Default null: no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}

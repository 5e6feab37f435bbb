using Microsoft.Extensions.DependencyInjection;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Pause;
using Thoras.Domain.Sync;
using Thoras.Domain.Targets;
using Thoras.Infrastructure.Kubernetes;
using Thoras.Infrastructure.Storage;

namespace Thoras.Functions.Hosting;

/// <summary>
/// Registers AIScaleTargets: the cluster adapters (over the <c>IKubernetes</c> client registered by the Kubernetes
/// connection), mode switch, unenroll, the purge of a UID's data over every <see cref="ITargetDataStore"/>, the
/// autonomous targets for the pause preview, and the <c>targets</c> sync step. Unenroll purges the UID from the
/// <c>Usage</c>, <c>Disruptions</c> and <c>OomKills</c> tables and the <c>models</c> container; add any new per-UID store here. Needs
/// <see cref="IEnrollmentStore"/> and the audit log registered.
/// </summary>
public static class TargetRegistration
{
    public static IServiceCollection AddThorasTargets(this IServiceCollection services)
    {
        services.AddSingleton<ITargetCluster, KubernetesTargetCluster>();
        services.AddSingleton<IAutonomousTargets, ClusterAutonomousTargets>();
        services.AddSingleton<ICleanupCluster, KubernetesCleanupCluster>();
        services.AddSingleton<IModeWriter, KubernetesModeWriter>();
        services.AddSingleton<EnrollmentOutbox>();
        services.AddSingleton<EnrollmentSignals>();
        services.AddSingleton<WorkloadRevert>();
        services.AddSingleton<ModeSwitch>();
        services.AddSingleton<Unenrollment>();
        services.AddSingleton<ITargetDataPurger, TargetDataPurger>();
        services.AddUidPartitionedTable("Usage");
        services.AddUidPartitionedTable("Disruptions");
        services.AddUidPartitionedTable("OomKills");
        services.AddUidPartitionedTable("Suggestions");
        services.AddUidPartitionedTable("Models");
        services.AddUidPrefixedContainer("models");
        services.AddSingleton<ISyncStep, TargetSyncStep>();
        return services;
    }

    /// <summary>
    /// Adds a table partitioned by target UID (e.g. <c>Samples</c>) to what unenroll deletes. Every store that keeps
    /// data per UID must be added, or unenroll leaves it behind.
    /// </summary>
    public static IServiceCollection AddUidPartitionedTable(this IServiceCollection services, string purpose) =>
        services.AddSingleton<ITargetDataStore>(sp => new UidPartitionedTable(sp.GetRequiredService<Azure.Data.Tables.TableServiceClient>(), sp.GetRequiredService<StorageNames>(), purpose));

    /// <summary>Adds a blob container with <c>&lt;uid&gt;/</c> prefixes (e.g. <c>models</c>) to what unenroll deletes.</summary>
    public static IServiceCollection AddUidPrefixedContainer(this IServiceCollection services, string purpose) =>
        services.AddSingleton<ITargetDataStore>(sp => new UidPrefixedContainer(sp.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>(), sp.GetRequiredService<StorageNames>(), purpose));
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Thoras.Domain.Apply;
using Thoras.Domain.Pause;
using Thoras.Domain.Targets;
using Thoras.Functions.Apply;
using Thoras.Infrastructure.Kubernetes;
using Thoras.Infrastructure.Storage;

namespace Thoras.Functions.Hosting;

/// <summary>
/// Registers the apply side: the apply stage and its cluster actions, the eviction ledger, the admission policy and
/// webhook settings, and the reconcile run on resume (<see cref="IReconcileTrigger"/>).
/// </summary>
public static class ApplyRegistration
{
    public static IServiceCollection AddThorasApply(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApplyOptions>()
            .Bind(configuration.GetSection(ApplyOptions.SectionName))
            .Validate(o => o.MaxParallelTargets >= 1, "Apply__MaxParallelTargets must be at least 1.")
            .Validate(o => o.TargetTimeBudget > TimeSpan.Zero, "Apply__TargetTimeBudget must be positive.")
            .ValidateOnStart();
        services.AddOptions<AdmissionOptions>().Bind(configuration.GetSection(AdmissionOptions.SectionName));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ApplyOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AdmissionOptions>>().Value);

        services.TryAddSingleton<ITargetCluster, KubernetesTargetCluster>();
        services.AddSingleton<IScalingActions, KubernetesScalingActions>();
        services.AddSingleton<IDisruptionLedger, DisruptionTable>();
        services.AddSingleton<IOomKillLedger, OomKillTable>();
        services.AddSingleton<ApplyStage>();
        services.AddSingleton<PodAdmissionPolicy>();
        services.AddSingleton<IReconcileTrigger, ApplyReconcileTrigger>();
        return services;
    }
}

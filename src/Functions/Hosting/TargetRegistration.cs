using Microsoft.Extensions.DependencyInjection;
using Thoras.Domain.Targets;
using Thoras.Infrastructure.Kubernetes;

namespace Thoras.Functions.Hosting;

/// <summary>Registers the AIScaleTarget cluster adapter. It uses the <c>IKubernetes</c> client registered by the Kubernetes connection.</summary>
public static class TargetRegistration
{
    public static IServiceCollection AddThorasTargets(this IServiceCollection services)
    {
        services.AddSingleton<ITargetCluster, KubernetesTargetCluster>();
        return services;
    }
}

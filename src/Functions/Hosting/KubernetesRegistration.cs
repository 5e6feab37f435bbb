using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Thoras.Domain.Events;
using Thoras.Infrastructure.Kubernetes;
using Thoras.Infrastructure.Kubernetes.Connection;

namespace Thoras.Functions.Hosting;

/// <summary>Registers the Kubernetes API client for the configured <c>Kubernetes__Mode</c> (aks, kubeconfig or url).</summary>
public static class KubernetesRegistration
{
    public static IServiceCollection AddThorasKubernetes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KubernetesOptions>()
            .Bind(configuration.GetSection(KubernetesOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<KubernetesOptions>, KubernetesOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<KubernetesOptions>>().Value;
            return new AksTokenProvider(
                KubernetesClientFactory.CreateAksCredential(options),
                options.AksScope,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<AksTokenProvider>>());
        });

        services.AddSingleton<IKubernetes>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<KubernetesOptions>>().Value;
            var aksTokens = KubernetesModes.Is(options.Mode, KubernetesModes.Aks) ? sp.GetRequiredService<AksTokenProvider>() : null;
            return new k8s.Kubernetes(KubernetesClientFactory.CreateConfiguration(options, aksTokens), new KubernetesRequestMetrics());
        });

        services.AddSingleton<IEventRecorder, KubernetesEventRecorder>();
        return services;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Thoras.Domain.Pause;
using Thoras.Domain.Sync;
using Thoras.Infrastructure.Kubernetes;
using Thoras.Infrastructure.Storage;

namespace Thoras.Functions.Hosting;

/// <summary>
/// Registers the system-wide pause: its state and windows in Table Storage, the ConfigMap mirror, the pause
/// service and gate, and the sync steps (in order: app setting, windows, mirror, audit outbox).
/// Needs <c>IKubernetes</c> (from <c>AddThorasKubernetes</c>) and an <see cref="IAutonomousTargets"/> registration
/// for the pause preview; <see cref="IReconcileTrigger"/> registrations are optional and all called on resume.
/// </summary>
public static class PauseRegistration
{
    public static IServiceCollection AddThorasPause(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PauseOptions>().Bind(configuration.GetSection(PauseOptions.SectionName));
        services.AddOptions<PauseMirrorOptions>()
            .Bind(configuration.GetSection(PauseMirrorOptions.SectionName))
            .Validate(o => IsNamespaceName(o.ControlPlaneNamespace), "Thoras__ControlPlaneNamespace must be a Kubernetes namespace name (lower-case letters, digits and '-', at most 63).")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PauseOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PauseMirrorOptions>>().Value);

        services.AddSingleton<SystemStateTable>();
        services.AddSingleton<IPauseStore>(sp => sp.GetRequiredService<SystemStateTable>());
        services.AddSingleton<IMaintenanceWindowStore>(sp => sp.GetRequiredService<SystemStateTable>());
        services.AddSingleton<IPauseMirror, ConfigMapPauseMirror>();
        services.AddSingleton<PauseEvents>();
        services.AddSingleton<PauseService>();
        services.AddSingleton<SuggestionGate>();

        services.AddSingleton<ISyncStep, AppSettingPauseSyncStep>();
        services.AddSingleton<ISyncStep, MaintenanceWindowSyncStep>();
        services.AddSingleton<ISyncStep, PauseMirrorSyncStep>();
        services.AddSingleton<ISyncStep, AuditOutboxSyncStep>();
        return services;
    }

    private static bool IsNamespaceName(string? name) =>
        name is { Length: > 0 and <= 63 } && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && name[0] != '-' && name[^1] != '-';
}

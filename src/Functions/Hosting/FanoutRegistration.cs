using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Thoras.Domain.Fanout;
using Thoras.Infrastructure.Storage;
using Thoras.Infrastructure.Storage.Queues;

namespace Thoras.Functions.Hosting;

/// <summary>
/// Registers the fan-out: its options (section <c>Fanout</c>), the queue names (<see cref="WorkQueueSettings"/>), the
/// queue service over the app's storage account and the poisoned-batch records. Needs the storage options, the
/// cluster and the audit log registered.
/// </summary>
public static class FanoutRegistration
{
    /// <summary>The most targets in one message: beyond it a batch of long names could pass the 64 KiB message limit.</summary>
    public const int MaxBatchSize = 250;

    public static IServiceCollection AddThorasFanout(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FanoutOptions>()
            .Bind(configuration.GetSection(FanoutOptions.SectionName))
            .Validate(o => o.BatchSize is >= 1 and <= MaxBatchSize, $"Fanout__BatchSize must be from 1 to {MaxBatchSize} targets per message.")
            .Validate(o => o.BatchTimeBudget > TimeSpan.Zero && o.BatchTimeBudget < TimeSpan.FromMinutes(10),
                "Fanout__BatchTimeBudget must be positive and under the 10 minutes a message stays invisible while held (e.g. 00:04:00).")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<FanoutOptions>>().Value);
        services.AddSingleton(_ => new WorkQueueNames(Name(configuration, WorkQueueSettings.Collect), Name(configuration, WorkQueueSettings.Forecast), Name(configuration, WorkQueueSettings.Apply)));
        services.AddSingleton(sp => StorageClientFactory.CreateQueueService(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<IWorkQueues, StorageWorkQueues>();
        services.AddSingleton<PoisonedBatches>();
        services.AddSingleton<FanoutCoordinator>();
        return services;
    }

    private static string Name(IConfiguration configuration, string setting) =>
        configuration[setting] is { Length: > 0 } name ? name : WorkQueueSettings.Defaults[setting];
}

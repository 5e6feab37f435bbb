using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Suggestions;
using Thoras.Infrastructure.Kubernetes;
using Thoras.Infrastructure.Storage;

namespace Thoras.Functions.Hosting;

/// <summary>
/// Registers the usage pipeline: PodMetrics collection (<see cref="CollectStage"/>), the usage table, the forecaster
/// state (models in blobs, their memory in a table), the forecast stage and the suggestion history (<see cref="ForecastStage"/>).
/// </summary>
public static class PipelineRegistration
{
    public static IServiceCollection AddThorasPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CollectOptions>()
            .Bind(configuration.GetSection(CollectOptions.SectionName))
            .Validate(o => o.Warmup >= TimeSpan.Zero, "Collect__Warmup cannot be negative.")
            .Validate(_ => configuration[$"{CollectOptions.SectionName}:Block"] is null, "Collect__Block is not a setting (any more): usage blocks are always 5 minutes long.")
            .ValidateOnStart();
        services.AddOptions<ForecastOptions>()
            .Bind(configuration.GetSection(ForecastOptions.SectionName))
            .Validate(o => o.RetrainEvery > TimeSpan.Zero && o.TrainingWindow > TimeSpan.Zero, "Forecast__RetrainEvery and Forecast__TrainingWindow must be positive.")
            .Validate(o => o.DefaultTargetUtilization > 0, "Forecast__DefaultTargetUtilization must be positive.")
            .Validate(o => o.MaxParallelTargets >= 1, "Forecast__MaxParallelTargets must be at least 1.")
            .Validate(o => o.TargetTimeBudget > TimeSpan.Zero, "Forecast__TargetTimeBudget must be positive.")
            .Validate(o => o.SuggestionRefresh > TimeSpan.Zero, "Forecast__SuggestionRefresh must be positive.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CollectOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ForecastOptions>>().Value);

        services.AddSingleton<IUsageStore, UsageTable>();
        services.AddSingleton<IModelStore, ForecasterStateStore>();
        services.AddSingleton<ISuggestionHistory, SuggestionHistoryTable>();
        services.AddSingleton<IPodMetricsSource, KubernetesPodMetricsSource>();
        services.AddSingleton<CollectStage>();
        services.AddSingleton<TargetRecommender>();
        services.AddSingleton<ForecastStage>();
        return services;
    }
}

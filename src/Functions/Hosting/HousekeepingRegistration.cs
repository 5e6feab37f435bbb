using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Thoras.Domain.Housekeeping;

namespace Thoras.Functions.Hosting;

/// <summary>
/// Registers the retention rules (<see cref="HousekeepingOptions"/>, section <c>Housekeeping</c>) and the
/// <see cref="HousekeepingStage"/>; the stores it prunes come from <see cref="PipelineRegistration"/>.
/// </summary>
public static class HousekeepingRegistration
{
    public static IServiceCollection AddThorasHousekeeping(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HousekeepingOptions>()
            .Bind(configuration.GetSection(HousekeepingOptions.SectionName))
            .Validate(o => o.UsageRetention > TimeSpan.Zero, "Housekeeping__UsageRetention must be positive (a duration such as 14.00:00:00 for 14 days).")
            .Validate(o => o.SuggestionRetention > TimeSpan.Zero, "Housekeeping__SuggestionRetention must be positive (a duration such as 30.00:00:00 for 30 days).")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<HousekeepingOptions>>().Value);
        services.AddSingleton<HousekeepingStage>();
        return services;
    }
}

using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Thoras.Domain.Audit;
using Thoras.Domain.Enrollment;
using Thoras.Infrastructure.Storage;

namespace Thoras.Functions.Hosting;

/// <summary>
/// The one service registration of the app, shared by the Functions host (<c>Program.cs</c>)
/// and the local host (<c>thoras serve</c>) so both run the same functions the same way.
/// </summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddThorasFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .PostConfigure(o => o.ConnectionString ??= ConnectionStringFromWebJobsStorage(configuration))
            .Validate(o => !string.IsNullOrEmpty(o.ConnectionString) || o.TableServiceUri is not null,
                "Storage is not configured: set Storage__ConnectionString (or AzureWebJobsStorage) or Storage__TableServiceUri.")
            .ValidateOnStart();

        services.AddSingleton(sp => new StorageNames(sp.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix));
        services.AddSingleton(sp => StorageClientFactory.CreateTableService(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton(sp => StorageClientFactory.CreateBlobService(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<TableStorageProbe>();
        services.AddSingleton<AuditLogTable>();
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AuditLogTable>());
        services.AddSingleton<IEnrollmentStore, EnrollmentTable>();
        services.AddThorasHttp(configuration);
        services.AddThorasPause(configuration);
        services.AddThorasKubernetes(configuration);
        services.AddThorasTargets();
        services.AddThorasApply(configuration);
        services.AddThorasPipeline(configuration);
        services.AddThorasHousekeeping(configuration);
        services.AddThorasFanout(configuration);
        services.AddThorasTelemetry(configuration);
        services.AddThorasDashboard(configuration);

        return services;
    }

    /// <summary>
    /// <c>AzureWebJobsStorage</c> is a connection string locally; in Azure it is split into
    /// identity-based <c>AzureWebJobsStorage__*</c> settings and has no value of its own.
    /// </summary>
    private static string? ConnectionStringFromWebJobsStorage(IConfiguration configuration)
    {
        var value = configuration["AzureWebJobsStorage"];
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}

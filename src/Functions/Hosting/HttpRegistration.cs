using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Thoras.Functions.Http;

namespace Thoras.Functions.Hosting;

/// <summary>Registers what the HTTP functions share: who the caller is (<see cref="AuthOptions"/>, section <c>Auth</c>).</summary>
public static class HttpRegistration
{
    public static IServiceCollection AddThorasHttp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AuthOptions>>().Value);
        services.AddSingleton<Callers>();
        return services;
    }
}

using System.Text.Json;
using Thoras.Cli.LocalHost;
using Thoras.Functions.Http;
using Thoras.Infrastructure.Storage.Emulator;
using Xunit;

namespace Thoras.Cli.Tests.LocalHost;

public sealed class FunctionCatalogTests
{
    /// <summary>What the Functions SDK generated for the Azure host: name, route, methods, auth, schedule.</summary>
    private static List<string> FunctionsHostView()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(AzuriteProcess.FindRepositoryRoot(), "src", "Functions", "bin", configuration, "net10.0", "functions.metadata");
        using var metadata = JsonDocument.Parse(File.ReadAllText(path));
        var view = new List<string>();
        foreach (var function in metadata.RootElement.EnumerateArray())
        {
            var name = function.GetProperty("name").GetString();
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                switch (binding.GetProperty("type").GetString())
                {
                    case "httpTrigger":
                        var methods = binding.TryGetProperty("methods", out var m) ? string.Join(",", m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant())) : "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS";
                        view.Add($"http {name} {binding.GetProperty("route").GetString()} {methods} {binding.GetProperty("authLevel").GetString()}");
                        break;
                    case "timerTrigger":
                        view.Add($"timer {name} {binding.GetProperty("schedule").GetString()}");
                        break;
                }
            }
        }

        return view.Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void FromAssembly_FunctionsApp_HostsExactlyWhatTheFunctionsHostHosts()
    {
        var catalog = FunctionCatalog.FromAssembly(typeof(HealthFunction).Assembly);

        var localView = catalog.Http.Select(f => $"http {f.Name} {f.Route} {string.Join(",", f.Methods)} {f.AuthLevel}")
            .Concat(catalog.Timers.Select(t => $"timer {t.Name} {t.Schedule}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(FunctionsHostView(), localView);
    }

    [Fact]
    public void FromAssembly_FunctionsApp_EveryTimerScheduleResolves()
    {
        var catalog = FunctionCatalog.FromAssembly(typeof(HealthFunction).Assembly);
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();

        foreach (var timer in catalog.Timers)
        {
            Assert.NotNull(TimerScheduler.ResolveSchedule(timer.Schedule, configuration));
        }
    }

    [Fact]
    public void FromAssembly_SampleFunctions_FindsRoutesAndTimers()
    {
        var catalog = FunctionCatalog.FromAssembly(typeof(SampleFunctions).Assembly);

        var echo = Assert.Single(catalog.Http, f => f.Name == "Echo");
        Assert.Equal("echo/{name}", echo.Route);
        Assert.Equal(["GET"], echo.Methods);
        Assert.Equal("%TickSchedule%", Assert.Single(catalog.Timers).Schedule);
    }
}

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
                    case "queueTrigger":
                        var connection = binding.TryGetProperty("connection", out var c) ? c.GetString() : "AzureWebJobsStorage";
                        view.Add($"queue {name} {binding.GetProperty("queueName").GetString()} {connection}");
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
            .Concat(catalog.Queues.Select(q => $"queue {q.Name} {q.Queue} {q.Connection ?? "AzureWebJobsStorage"}"))
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
    public void FromAssembly_FunctionsApp_EveryQueueNameResolves()
    {
        var catalog = FunctionCatalog.FromAssembly(typeof(HealthFunction).Assembly);
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();

        var names = catalog.Queues.Select(q => QueueWorkers.ResolveQueueName(q.Queue, configuration)).Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.Matches("^[a-z0-9]([a-z0-9]|-(?!-)){2,62}$", n));
    }

    [Fact]
    public void FromAssembly_SampleFunctions_FindsQueueFunctionsWithTheirMessageTypes()
    {
        var catalog = FunctionCatalog.FromAssembly(typeof(SampleFunctions).Assembly);

        var record = Assert.Single(catalog.Queues, q => q.Name == "RecordMessage");
        Assert.Equal("%SampleQueue%", record.Queue);
        Assert.Equal(typeof(SampleMessage), record.MessageType);
        Assert.Equal(typeof(string), Assert.Single(catalog.Queues, q => q.Name == "AlwaysFail").MessageType);
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

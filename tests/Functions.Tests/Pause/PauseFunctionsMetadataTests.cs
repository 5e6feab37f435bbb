using System.Text.Json;
using Thoras.Infrastructure.Storage.Emulator;
using Xunit;

namespace Thoras.Functions.Tests.Pause;

/// <summary>What the Functions host will see of the pause functions: routes, methods, key auth and the sync schedule setting.</summary>
public sealed class PauseFunctionsMetadataTests
{
    private static JsonElement Trigger(string function, string type)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(AzuriteProcess.FindRepositoryRoot(), "src", "Functions", "bin", configuration, "net10.0", "functions.metadata");
        using var metadata = JsonDocument.Parse(File.ReadAllText(path));
        var entry = metadata.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == function);
        return entry.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == type).Clone();
    }

    [Theory]
    [InlineData("SystemPause", "system/pause")]
    [InlineData("SystemResume", "system/resume")]
    [InlineData("SystemWindows", "system/windows")]
    [InlineData("SystemWindow", "system/windows/{id}")]
    public void HttpFunction_IsFunctionKeyAuthOnItsRouteForEveryMethod(string function, string route)
    {
        var trigger = Trigger(function, "httpTrigger");

        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal(["get", "post", "put", "patch", "delete", "head", "options"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public void SyncFunction_ScheduleComesFromTheSyncScheduleSetting()
    {
        var trigger = Trigger("Sync", "timerTrigger");

        Assert.Equal("%SyncSchedule%", trigger.GetProperty("schedule").GetString());
    }
}

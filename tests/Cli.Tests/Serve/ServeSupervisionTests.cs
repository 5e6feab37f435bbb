using System.Diagnostics;
using System.Globalization;
using System.Net;
using Xunit;

namespace Thoras.Cli.Tests.Serve;

/// <summary>
/// <c>thoras serve</c> as a process: it stops on SIGINT even when started with SIGINT ignored (as a shell starts
/// <c>cmd &amp;</c>), and it restarts an Azurite that died under it.
/// </summary>
public sealed class ServeSupervisionTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Serve_StartedWithSigintIgnored_StopsCleanlyOnSigintWithNothingLeftRunning()
    {
        await using var serve = await ServeProcess.StartAsync(speedUp: 1, StartTimeout, sigintIgnored: true);

        var exitCode = await serve.StopAsync(TimeSpan.FromSeconds(60));

        Assert.Equal((0, 0), (exitCode, serve.ProcessesUsingState().Count));
    }

    [Fact]
    public async Task Serve_AzuriteKilled_RestartsItAndAnswersHealthyAgain()
    {
        await using var serve = await ServeProcess.StartAsync(speedUp: 1, StartTimeout);
        var azurite = serve.ProcessesUsingState();
        Assert.NotEmpty(azurite);

        foreach (var pid in azurite)
        {
            using var kill = Process.Start("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var healthy = false;
        var replaced = false;
        for (var attempt = 0; attempt < 60 && !(healthy && replaced); attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            replaced = serve.ProcessesUsingState().Except(azurite).Any();
            try
            {
                using var response = await http.GetAsync(new Uri(serve.BaseAddress, "/api/health"));
                healthy = response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                healthy = false;
            }
        }

        Assert.True(healthy && replaced, $"healthy: {healthy}, a new Azurite: {replaced}\n{serve.Output}");
    }
}

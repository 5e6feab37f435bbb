using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Thoras.Infrastructure.Storage.Emulator;
using Xunit;

namespace Thoras.Cli.Tests.Serve;

/// <summary>
/// The local host as a user runs it: <c>thoras serve</c> as a process on free ports with Azurite, the sandbox,
/// the Helm chart and the demo namespace; driven over HTTP with the function key; stopped with Ctrl-C.
/// </summary>
public sealed class ServeEndToEndTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private static HttpRequestMessage Request(ServeProcess serve, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(serve.BaseAddress, path));
        request.Headers.Add("x-functions-key", serve.FunctionKey);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        return request;
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpRequestMessage request, HttpStatusCode expected)
    {
        using (request)
        {
            var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {text}");
            return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
        }
    }

    [Fact]
    public async Task Serve_UserSession_HealthPauseResumeModeSwitchThenCleanStop()
    {
        // 60x: a simulated minute per real second, so the demo's 10-minute lookback passes in seconds.
        await using var serve = await ServeProcess.StartAsync(speedUp: 60, StartTimeout);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var health = await http.GetFromJsonAsync<JsonElement>(new Uri(serve.BaseAddress, "api/health"));
        Assert.Equal("healthy", health.GetProperty("status").GetString());

        var preview = await SendAsync(http, Request(serve, HttpMethod.Get, "api/system/pause"), HttpStatusCode.OK);
        Assert.Contains("demo/web", preview.ToString(), StringComparison.Ordinal);

        await SendAsync(http, Request(serve, HttpMethod.Post, "api/system/pause", new { reason = "end-to-end test" }), HttpStatusCode.OK);
        var paused = await SendAsync(http, Request(serve, HttpMethod.Get, "api/system/pause"), HttpStatusCode.OK);
        Assert.True(paused.GetProperty("paused").GetBoolean());

        await SendAsync(http, Request(serve, HttpMethod.Post, "api/system/resume", new { reason = "done" }), HttpStatusCode.OK);
        var resumed = await SendAsync(http, Request(serve, HttpMethod.Get, "api/system/pause"), HttpStatusCode.OK);
        Assert.False(resumed.GetProperty("paused").GetBoolean());

        // The demo's autonomous vertical target gets a suggestion published from collected usage, and it is applied.
        var applied = await WaitForAsync(async () =>
        {
            var target = await SendAsync(http, Request(serve, HttpMethod.Get, "api/targets/demo/web"), HttpStatusCode.OK);
            return target.GetProperty("suggestionsApplied").GetProperty("vertical").GetBoolean() ? target : (JsonElement?)null;
        }, TimeSpan.FromMinutes(3));
        Assert.True(applied is not null, "no suggestion was applied to demo/web in time; output:\n" + serve.Output);
        var history = await SendAsync(http, Request(serve, HttpMethod.Get, "api/targets/demo/web/suggestions?limit=5"), HttpStatusCode.OK);
        Assert.Contains(applied.Value.GetProperty("suggestionsApplied").GetProperty("verticalSuggestionUid").GetString()!, history.ToString(), StringComparison.Ordinal);

        await SendAsync(http, Request(serve, HttpMethod.Put, "api/targets/demo/web/mode", new { direction = "vertical", mode = "recommendation" }), HttpStatusCode.OK);
        var web = await SendAsync(http, Request(serve, HttpMethod.Get, "api/targets/demo/web"), HttpStatusCode.OK);
        Assert.Equal("recommendation", web.GetProperty("verticalMode").GetString());
        Assert.False(web.GetProperty("suggestionsApplied").GetProperty("vertical").GetBoolean());

        var unauthorized = await http.GetAsync(new Uri(serve.BaseAddress, "api/system/pause"));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);

        // Every dashboard URL the banner prints is one a user can open (it once also printed <base>/dashboard: 404).
        var dashboards = serve.Output.Split('\n')
            .Where(line => line.StartsWith("Dashboard: ", StringComparison.Ordinal))
            .Select(line => line["Dashboard: ".Length..].Split(' ')[0])
            .ToList();
        Assert.NotEmpty(dashboards);
        foreach (var dashboard in dashboards)
        {
            var page = await http.GetAsync(new Uri(dashboard));
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"the banner's dashboard URL {dashboard} answered {(int)page.StatusCode}");
        }

        Assert.NotEmpty(serve.ProcessesUsingState());
        int exitCode;
        try
        {
            exitCode = await serve.StopAsync(TimeSpan.FromSeconds(60));
        }
        catch (OperationCanceledException ex)
        {
            // Say what the process was doing when it did not stop in time.
            throw new TimeoutException("thoras serve did not exit within 60 s of Ctrl-C. Its output:\n" + serve.Output, ex);
        }

        Assert.Equal(0, exitCode);
        await WaitUntil(() => serve.ProcessesUsingState().Count == 0, TimeSpan.FromSeconds(15));
        Assert.Empty(serve.ProcessesUsingState());
    }

    [Fact]
    public async Task Serve_RestartedOnItsState_KeepsTheTargetUidAndSwitchesAModeAtOnce()
    {
        var state = Directory.CreateTempSubdirectory("thoras-serve-").FullName;
        try
        {
            string uid;
            await using (var first = await ServeProcess.StartAsync(speedUp: 60, StartTimeout, stateDirectory: state))
            {
                uid = await KubectlAsync(state, "get", "ast", "web", "-n", "demo", "-o", "jsonpath={.metadata.uid}");
                // The first sync tick enrolls demo/web, so the app holds state for its UID across the restart.
                var enrolled = await WaitForAsync(async () =>
                {
                    using var http = new HttpClient();
                    var target = await SendAsync(http, Request(first, HttpMethod.Get, "api/targets/demo/web"), HttpStatusCode.OK);
                    return target.GetProperty("uid").GetString() == uid ? target : (JsonElement?)null;
                }, TimeSpan.FromMinutes(2));
                Assert.True(enrolled is not null, "demo/web was not enrolled in time; output:\n" + first.Output);
                Assert.Equal(0, await first.StopAsync(TimeSpan.FromSeconds(60)));
            }

            await using var second = await ServeProcess.StartAsync(speedUp: 60, StartTimeout, stateDirectory: state);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

            var switched = await SendAsync(client, Request(second, HttpMethod.Put, "api/targets/demo/web/mode", new { direction = "vertical", mode = "recommendation" }), HttpStatusCode.OK);

            Assert.Equal(uid, await KubectlAsync(state, "get", "ast", "web", "-n", "demo", "-o", "jsonpath={.metadata.uid}"));
            Assert.Equal(uid, switched.GetProperty("uid").GetString());
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>Runs the pinned real kubectl against the sandbox of the serve on <paramref name="state"/>; its output.</summary>
    private static async Task<string> KubectlAsync(string state, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AzuriteProcess.FindRepositoryRoot(), ".tools", "kubectl"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["HOME"] = state;
        foreach (var arg in new[] { "--kubeconfig", Path.Combine(state, "sandbox.kubeconfig") }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {error}");
        return await output;
    }

    private static async Task<JsonElement?> WaitForAsync(Func<Task<JsonElement?>> probe, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(1000);
        }

        return null;
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Thoras.Cli.Tests.Serve;

/// <summary>
/// The local host as a user runs it: <c>thoras serve</c> as a process on free ports with Azurite, the sandbox,
/// the Helm chart and the demo namespace; driven over HTTP with the function key; stopped with Ctrl-C.
/// </summary>
public sealed class ServeEndToEndTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

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
        await using var serve = await ServeProcess.StartAsync(speedUp: 20, StartTimeout);
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

        await SendAsync(http, Request(serve, HttpMethod.Put, "api/targets/demo/web/mode", new { direction = "vertical", mode = "recommendation" }), HttpStatusCode.OK);
        var web = await SendAsync(http, Request(serve, HttpMethod.Get, "api/targets/demo/web"), HttpStatusCode.OK);
        Assert.Contains("recommendation", web.ToString(), StringComparison.Ordinal);

        var unauthorized = await http.GetAsync(new Uri(serve.BaseAddress, "api/system/pause"));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);

        Assert.NotEmpty(serve.ProcessesUsingState());
        var exitCode = await serve.StopAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, exitCode);
        await WaitUntil(() => serve.ProcessesUsingState().Count == 0, TimeSpan.FromSeconds(15));
        Assert.Empty(serve.ProcessesUsingState());
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

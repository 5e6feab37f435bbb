using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Thoras.Cli.LocalHost;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Cli.Tests.LocalHost;

public sealed class LocalFunctionHostTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly string _keyPath = Path.Combine(Path.GetTempPath(), "thoras-key-" + Guid.NewGuid().ToString("N"));
    private readonly TimerCalls _calls = new();
    private WebApplication? _app;
    private HttpClient? _http;

    private HttpClient Http => _http!;

    public async Task InitializeAsync()
    {
        var options = new LocalHostOptions { Port = 0, FunctionKeyPath = _keyPath, FunctionsAssembly = typeof(SampleFunctions).Assembly, RunQueues = false };
        _app = LocalFunctionHost.Build(options, [], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = azurite.ConnectionString,
                ["TickSchedule"] = "* * * * * *",
                // The sample functions never call the cluster; a closed loopback port keeps the setting valid.
                ["Kubernetes:Mode"] = "url",
                ["Kubernetes:ClusterUrl"] = "http://127.0.0.1:9",
            });
            builder.Services.AddSingleton(_calls);
        });
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = LocalFunctionHost.BaseAddress(_app) };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        File.Delete(_keyPath);
    }

    private string Key => File.ReadAllText(_keyPath).Trim();

    [Fact]
    public async Task Get_KeyedRouteWithoutKey_401ProblemDetails()
    {
        var response = await Http.GetAsync(new Uri("/api/echo/web", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_KeyedRouteWithHeaderKey_BindsRouteValueAndRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/echo/web?q=hello");
        request.Headers.Add("x-functions-key", Key);

        var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("web", body.GetProperty("name").GetString());
        Assert.Equal("hello", body.GetProperty("query").GetString());
    }

    [Fact]
    public async Task Get_KeyedRouteWithCodeQuery_Accepted()
    {
        var response = await Http.GetAsync(new Uri($"/api/echo/web?code={Uri.EscapeDataString(Key)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_WrongKey_401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/echo/web");
        request.Headers.Add("x-functions-key", Key + "x");

        var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_FunctionThrowsProblem_ProblemDetailsWithItsStatus()
    {
        var response = await Http.PostAsync(new Uri("/api/refuse", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Refused on purpose.", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Get_FunctionCrashes_500WithoutInternals()
    {
        var response = await Http.GetAsync(new Uri("/api/crash", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("secret internals", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_OnGetOnlyRoute_MethodNotAllowed()
    {
        var response = await Http.PostAsync(new Uri($"/api/echo/web?code={Uri.EscapeDataString(Key)}", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Timer_EverySecondSchedule_Runs()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_calls.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(_calls.Count >= 2, $"the timer ran {_calls.Count} times");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Build_KeyFileMissing_CreatesPrivateKeyFile()
    {
        Assert.True(Key.Length >= 32);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_keyPath));
    }
}

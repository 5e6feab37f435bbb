using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using k8s;
using Microsoft.Playwright;
using Thoras.Cli.Serve;
using Thoras.Infrastructure.Kubernetes;
using Thoras.Infrastructure.Storage.Emulator;
using Xunit;

namespace Thoras.Dashboard.Tests;

/// <summary>
/// The stack <c>thoras serve</c> runs (Azurite, the sandbox with the chart and the demo namespace, every function on
/// its route and schedule), started in this process on free loopback ports with its own state folder, at 60x speed so
/// suggestions come within seconds; and one headless Debian Chromium driven by Playwright. Each test opens its own
/// browser context, so the function key (kept in sessionStorage) never carries over from one test to the next.
/// </summary>
public sealed class DashboardHost : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private readonly CancellationTokenSource _stop = new();
    private readonly CapturingWriter _output = new();
    private string _state = string.Empty;
    private Task<int>? _serve;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    public Uri DashboardUrl => new(BaseAddress, "api/dashboard/");

    public string FunctionKey { get; private set; } = string.Empty;

    public IKubernetes Cluster { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: <c>TestResults/dashboard/</c> at the repository root, kept as test artifacts.</summary>
    public static string ScreenshotDirectory { get; } =
        Directory.CreateDirectory(Path.Combine(AzuriteProcess.FindRepositoryRoot(), "TestResults", "dashboard")).FullName;

    public async Task InitializeAsync()
    {
        _state = Directory.CreateTempSubdirectory("thoras-dashboard-").FullName;
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        string[] args = ["--port", port.ToString(CultureInfo.InvariantCulture), "--state-dir", _state, "--speed-up", "60"];
        _serve = Task.Run(() => ServeCommand.RunAsync(args, _output, _stop.Token));
        var ready = await Task.WhenAny(_output.Ready, _serve, Task.Delay(StartTimeout));
        if (ready != _output.Ready)
        {
            throw new InvalidOperationException("thoras serve did not start in time or stopped:\n" + _output + (_serve.IsFaulted ? _serve.Exception!.ToString() : string.Empty));
        }

        FunctionKey = (await File.ReadAllTextAsync(Path.Combine(_state, "function-key"))).Trim();
        // The sandbox asks for no credentials, which the client's kubeconfig loader refuses: use its server only.
        var kubeconfig = await KubernetesClientConfiguration.LoadKubeConfigAsync(new FileInfo(Path.Combine(_state, "sandbox.kubeconfig")));
        Cluster = new Kubernetes(new KubernetesClientConfiguration { Host = kubeconfig.Clusters.Single().ClusterEndpoint.Server });
        Api = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Api.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Args = ["--no-sandbox", "--disable-gpu"],
            Headless = true,
        });
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        Api?.Dispose();
        Cluster?.Dispose();
        await _stop.CancelAsync();
        if (_serve is not null)
            await _serve.WaitAsync(TimeSpan.FromSeconds(60));
        _stop.Dispose();
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
            // Azurite may still be closing its files; a leftover temporary folder is harmless.
        }
    }

    /// <summary>A fresh browser tab (its own context and session storage) at the dashboard, not yet signed in.</summary>
    public async Task<IPage> OpenAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(DashboardUrl.ToString());
        return page;
    }

    /// <summary>A fresh tab signed in with the function key, showing the fleet table.</summary>
    public async Task<IPage> SignedInAsync()
    {
        var page = await OpenAsync();
        await page.GetByLabel("Function key").FillAsync(FunctionKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("fleet-table")).ToBeVisibleAsync();
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task<JsonElement> GetAsync(string path)
    {
        var response = await Api.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    public async Task PostAsync(string path, object body)
    {
        var response = await Api.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The pause mirror's <c>system-config.yaml</c>, as the cluster holds it.</summary>
    public async Task<string> MirrorAsync()
    {
        var map = await Cluster.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapPauseMirror.ConfigMapName, "thoras");
        return map.Data?.TryGetValue(ConfigMapPauseMirror.DataKey, out var yaml) == true ? yaml : string.Empty;
    }

    /// <summary>Polls until <paramref name="probe"/> holds or the time is up; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> probe, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe())
                return true;
            await Task.Delay(500);
        }

        return await probe();
    }

    private static string ChromiumPath()
    {
        var path = Environment.GetEnvironmentVariable("THORAS_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Chromium was not found at {path}: ./build.sh test installs Debian's chromium package (or set THORAS_CHROMIUM).");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Keeps what <c>thoras serve</c> prints and says when it printed the dashboard's URL.</summary>
    private sealed class CapturingWriter : TextWriter
    {
        private readonly StringBuilder _text = new();
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Ready => _ready.Task;

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
                if (value == '\n' && _text.ToString().Contains("Dashboard: ", StringComparison.Ordinal))
                    _ready.TrySetResult();
            }
        }

        public override string ToString()
        {
            lock (_text)
                return _text.ToString();
        }
    }
}

/// <summary>The browser tests share one stack: starting it takes most of a minute.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardTestGroup : ICollectionFixture<DashboardHost>
{
    public const string Name = "dashboard";
}

using Thoras.Reliability.Tests.Support;
using Xunit;

namespace Thoras.Reliability.Tests.Findings;

/// <summary>
/// Where the HTTP regression cases go: by default an in-process app (<see cref="ReliabilityApp"/>) with two enrolled
/// targets in namespaces of their own; with <c>THORAS_REGRESSION_URL</c> set, any running app over real HTTP (e.g. an
/// older build's <c>thoras serve</c>), given <c>THORAS_REGRESSION_KEY</c> (the function key),
/// <c>THORAS_REGRESSION_ADMISSION_SECRET</c> (the webhook's path secret), and optionally
/// <c>THORAS_REGRESSION_TARGET</c> (default <c>demo/web</c>) and <c>THORAS_REGRESSION_VICTIM</c> (default
/// <c>demo/batch</c>, the target the DELETE case aims at).
/// </summary>
public sealed class RegressionTargetFixture : IAsyncLifetime
{
    private ReliabilityApp? _app;
    private HttpClient? _remote;

    public RegressionTarget Target { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("THORAS_REGRESSION_URL") is { Length: > 0 } url)
        {
            string Setting(string name, string? fallback = null) =>
                Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback ?? throw new InvalidOperationException($"{name} is not set.");
            var key = Setting("THORAS_REGRESSION_KEY");
            _remote = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
            _remote.DefaultRequestHeaders.Add("x-functions-key", key);
            var target = Setting("THORAS_REGRESSION_TARGET", "demo/web").Split('/');
            var victim = Setting("THORAS_REGRESSION_VICTIM", "demo/batch").Split('/');
            Target = new RegressionTarget(_remote, key, Setting("THORAS_REGRESSION_ADMISSION_SECRET"), target[0], target[1], victim[0], victim[1]);
            return;
        }

        _app = new ReliabilityApp();
        await _app.InitializeAsync();
        var ns = await _app.NewNamespaceAsync();
        await _app.SeedTargetAsync(ns);
        var victimNs = await _app.NewNamespaceAsync();
        await _app.SeedTargetAsync(victimNs);
        await _app.SyncTickAsync();
        Target = new RegressionTarget(_app.Http, _app.FunctionKey, ReliabilityApp.AdmissionSecret, ns, "web", victimNs, "web");
    }

    public async Task DisposeAsync()
    {
        _remote?.Dispose();
        if (_app is not null)
            await _app.DisposeAsync();
    }
}

/// <summary>
/// The review's HTTP findings as data (<see cref="HttpRegressionCases"/>), each sent over real HTTP and judged: refused
/// with a problem and nothing changed, failed open, never echoing the secret. Pointed at another build with
/// <c>THORAS_REGRESSION_URL</c> (see <see cref="RegressionTargetFixture"/>, docs/reliability.md), the same cases show
/// which findings that build still has.
/// </summary>
public sealed class HttpRegressionTests(RegressionTargetFixture fixture) : IClassFixture<RegressionTargetFixture>
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in HttpRegressionCases.All)
            data.Add(c.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case_AnswersAsTheFindingRequires(string name)
    {
        var c = HttpRegressionCases.All.Single(x => x.ToString() == name);

        var failure = await fixture.Target.CheckAsync(c);

        Assert.True(failure is null, $"{c}: {failure}");
    }
}

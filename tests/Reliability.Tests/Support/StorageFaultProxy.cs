using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Thoras.Reliability.Tests.Support;

/// <summary>
/// A loopback HTTP proxy in front of one Azurite endpoint, injecting faults into the Storage calls that pass through
/// it: the next N matching requests fail with a status (429 and 503 with <c>Retry-After</c>), hang, or are carried
/// out and then failed (the write happened, the caller cannot tell). <see cref="Outage"/> makes every request hang,
/// as a stopped storage account does. Requests are listed while recording, so a test can fault each call in turn.
/// </summary>
public sealed class StorageFaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Transfer-Encoding", "Content-Length", "Keep-Alive" };

    private readonly WebApplication _app;
    private readonly HttpClient _client;
    private readonly Uri _target;
    private readonly object _gate = new();
    private readonly List<Rule> _rules = [];
    private List<string>? _recording;

    private StorageFaultProxy(WebApplication app, HttpClient client, Uri target)
    {
        _app = app;
        _client = client;
        _target = target;
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>While true, every request hangs until its caller gives up (storage stopped, not gone).</summary>
    public bool Outage { get; set; }

    public static async Task<StorageFaultProxy> StartAsync(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new StorageFaultProxy(app, new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan }, target);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return proxy;
    }

    /// <summary>The next <paramref name="count"/> requests whose "METHOD path" contains <paramref name="match"/> fail with <paramref name="status"/>.</summary>
    public void FailNext(string match, int status, int count = 1) => Add(new Rule(match, count, status, Hang: false, AfterCommit: false));

    /// <summary>The next matching request is carried out by Azurite, then answered with <paramref name="status"/>.</summary>
    public void FailNextAfterCommit(string match, int status = 500) => Add(new Rule(match, 1, status, Hang: false, AfterCommit: true));

    /// <summary>The next matching request hangs until its caller gives up.</summary>
    public void HangNext(string match) => Add(new Rule(match, 1, 0, Hang: true, AfterCommit: false));

    public void Clear()
    {
        lock (_gate)
            _rules.Clear();
    }

    public void StartRecording()
    {
        lock (_gate)
            _recording = [];
    }

    /// <summary>The requests seen since <see cref="StartRecording"/>, as "METHOD path".</summary>
    public IReadOnlyList<string> StopRecording()
    {
        lock (_gate)
        {
            var seen = _recording ?? [];
            _recording = null;
            return seen;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }

    private void Add(Rule rule)
    {
        lock (_gate)
            _rules.Add(rule);
    }

    private Rule? Take(string call, bool afterCommit)
    {
        lock (_gate)
        {
            if (!afterCommit)
                _recording?.Add(call);
            var rule = _rules.FirstOrDefault(r => r.AfterCommit == afterCommit && call.Contains(r.Match, StringComparison.Ordinal));
            if (rule is null)
                return null;
            _rules.Remove(rule);
            if (rule.Count > 1)
                _rules.Add(rule with { Count = rule.Count - 1 });
            return rule;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var call = $"{context.Request.Method} {context.Request.Path}";
        var before = Take(call, afterCommit: false);
        if (Outage || before is { Hang: true })
        {
            await HangAsync(context);
            return;
        }

        if (before is not null)
        {
            await FailAsync(context, before.Status);
            return;
        }

        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, context.Request.Path + context.Request.QueryString));
        if (context.Request.ContentLength > 0 || context.Request.Headers.ContainsKey("Transfer-Encoding"))
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            body.Position = 0;
            forward.Content = new StreamContent(body);
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopHeaders.Contains(name))
                continue;
            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!))
                forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);
        }

        using var answer = await _client.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        var after = Take(call, afterCommit: true);
        if (after is not null)
        {
            await FailAsync(context, after.Status);
            return;
        }

        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!HopHeaders.Contains(name))
                context.Response.Headers[name] = values.ToArray();
        }

        await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static async Task HangAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(2), context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
    }

    private static Task FailAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        if (status is 429 or 503)
            context.Response.Headers.RetryAfter = "1";
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("{\"odata.error\":{\"code\":\"InjectedFault\",\"message\":{\"value\":\"injected fault " + status.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"}}}");
    }

    private sealed record Rule(string Match, int Count, int Status, bool Hang, bool AfterCommit);
}

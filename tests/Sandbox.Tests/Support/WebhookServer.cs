using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Thoras.Sandbox.Tests.Support;

/// <summary>A real HTTP admission webhook on 127.0.0.1 that answers with a fixed JSON patch, optionally after a delay.</summary>
public sealed class WebhookServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebhookServer(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    public int Reviews { get; private set; }

    public static async Task<WebhookServer> StartAsync(string jsonPatch, TimeSpan delay = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        WebhookServer? server = null;
        app.MapPost("/mutate", async (HttpContext context) =>
        {
            server!.Reviews++;
            var review = await JsonNode.ParseAsync(context.Request.Body);
            if (delay > TimeSpan.Zero)
                await Task.Delay(delay, context.RequestAborted);
            var answer = new JsonObject
            {
                ["apiVersion"] = "admission.k8s.io/v1",
                ["kind"] = "AdmissionReview",
                ["response"] = new JsonObject
                {
                    ["uid"] = review!["request"]!["uid"]!.ToString(),
                    ["allowed"] = true,
                    ["patchType"] = "JSONPatch",
                    ["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(jsonPatch)),
                },
            };
            return Results.Text(answer.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new WebhookServer(app, new Uri(address.TrimEnd('/') + "/mutate"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

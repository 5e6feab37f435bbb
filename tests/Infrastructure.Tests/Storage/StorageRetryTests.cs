using System.Diagnostics;
using System.Net;
using Azure;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Thoras.Infrastructure.Storage;
using Xunit;

namespace Thoras.Infrastructure.Tests.Storage;

public sealed class StorageRetryTests
{
    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServerBusy")]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError")]
    public async Task Request_ServerBusyOrInternalErrorTwice_IsRetriedAfterBackoffAndSucceeds(HttpStatusCode status, string errorCode)
    {
        var server = new ScriptedHandler(status, errorCode, failures: 2);
        var table = Client(server);

        await table.DeleteEntityAsync("p", "r");

        Assert.Equal(3, server.Attempts.Count);
        // Backoff from 500 ms, doubling, with up to 20 % jitter either way.
        Assert.True(server.Attempts[1] - server.Attempts[0] >= TimeSpan.FromMilliseconds(350), $"first backoff {(server.Attempts[1] - server.Attempts[0]).TotalMilliseconds:0} ms");
        Assert.True(server.Attempts[2] - server.Attempts[1] >= TimeSpan.FromMilliseconds(700), $"second backoff {(server.Attempts[2] - server.Attempts[1]).TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Request_BadRequest_IsNotRetried()
    {
        var server = new ScriptedHandler(HttpStatusCode.BadRequest, "InvalidInput", failures: 1);
        var table = Client(server);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p", "r"));

        Assert.Equal(400, error.Status);
        Assert.Single(server.Attempts);
    }

    private static TableClient Client(ScriptedHandler server)
    {
        var options = StorageRetry.Configure(new TableClientOptions());
        options.Transport = new HttpClientTransport(server);
        return new TableClient("UseDevelopmentStorage=true", "retried", options);
    }

    /// <summary>Answers the first <c>failures</c> requests with an error status and error code, then 204.</summary>
    private sealed class ScriptedHandler(HttpStatusCode status, string errorCode, int failures) : HttpMessageHandler
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();

        public List<TimeSpan> Attempts { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Attempts)
            {
                Attempts.Add(clock.Elapsed);
                if (Attempts.Count > failures)
                    return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
            }

            var response = new HttpResponseMessage(status)
            {
                Content = new StringContent("{\"odata.error\":{\"code\":\"" + errorCode + "\",\"message\":{\"lang\":\"en-US\",\"value\":\"injected\"}}}"),
            };
            response.Headers.Add("x-ms-error-code", errorCode);
            return Task.FromResult(response);
        }
    }
}

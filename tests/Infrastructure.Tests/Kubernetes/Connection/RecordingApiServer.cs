using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Thoras.Infrastructure.Tests.Kubernetes.Connection;

/// <summary>A request as the API server saw it.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A minimal Kubernetes API stand-in on 127.0.0.1 (a free port, plain HTTP or TLS) that records each request's
/// line and headers and answers every request with an empty NamespaceList.
/// </summary>
internal sealed class RecordingApiServer : IAsyncDisposable
{
    private static readonly byte[] NamespaceList = Encoding.UTF8.GetBytes("""{"kind":"NamespaceList","apiVersion":"v1","metadata":{},"items":[]}""");
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2? certificate;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    public RecordingApiServer(X509Certificate2? certificate = null)
    {
        this.certificate = certificate;
        listener.Start();
        accepting = AcceptAsync();
    }

    public string Url => $"{(certificate is null ? "http" : "https")}://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var stream = await OpenAsync(client);
                Requests.Enqueue(Parse(await ReadHeadAsync(stream)));
                var head = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {NamespaceList.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(head, stop.Token);
                await stream.WriteAsync(NamespaceList, stop.Token);
                await stream.FlushAsync(stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                // A client that rejects the certificate or hangs up is the client's test to judge.
            }
        }
    }

    private async Task<Stream> OpenAsync(TcpClient client)
    {
        if (certificate is null) return client.GetStream();
        var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, stop.Token);
        return tls;
    }

    private async Task<string> ReadHeadAsync(Stream stream)
    {
        var buffer = new List<byte>();
        var chunk = new byte[1024];
        while (!EndsWithBlankLine(buffer))
        {
            var read = await stream.ReadAsync(chunk, stop.Token);
            if (read == 0) break;
            buffer.AddRange(chunk.AsSpan(0, read));
        }

        return Encoding.ASCII.GetString([.. buffer]);
    }

    private static bool EndsWithBlankLine(List<byte> buffer) =>
        buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n';

    private static RecordedRequest Parse(string head)
    {
        var lines = head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return new RecordedRequest(requestLine[0], requestLine[1], headers);
    }
}

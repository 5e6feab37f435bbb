using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Thoras.Cli.Operator;

/// <summary>
/// Where the app's API is and its function key: from <c>--url</c>/<c>--key</c>, else <c>THORAS_URL</c>/
/// <c>THORAS_FUNCTION_KEY</c>, else the files <c>thoras serve</c> writes in its state folder (<c>.thoras/url</c>,
/// <c>.thoras/function-key</c>, found from the current folder upwards, or <c>--state-dir</c>/<c>THORAS_STATE_DIR</c>).
/// </summary>
public sealed class ApiConnection : IDisposable
{
    /// <summary>The URL when none is configured: <c>thoras serve</c>'s default.</summary>
    public const string DefaultUrl = "http://127.0.0.1:7071/api";

    private readonly HttpClient _http;

    private ApiConnection(Uri api, string? key, TimeSpan timeout)
    {
        Api = api;
        _http = new HttpClient { Timeout = timeout };
        if (key is not null)
            _http.DefaultRequestHeaders.Add("x-functions-key", key);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>The API's base, ending in <c>/api/</c>.</summary>
    public Uri Api { get; }

    /// <summary>Resolves the URL and key from the options, the environment and the state folder.</summary>
    public static ApiConnection Resolve(string? url, string? key, string? stateDirectory, TimeSpan timeout)
    {
        var state = stateDirectory ?? Environment.GetEnvironmentVariable("THORAS_STATE_DIR") ?? FindStateDirectory(Directory.GetCurrentDirectory());
        url ??= Environment.GetEnvironmentVariable("THORAS_URL") ?? ReadFile(state, "url") ?? DefaultUrl;
        key ??= Environment.GetEnvironmentVariable("THORAS_FUNCTION_KEY") ?? ReadFile(state, "function-key");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            throw new CommandLineException($"--url must be an http(s) URL such as {DefaultUrl}, not '{url}'.");
        var path = parsed.AbsolutePath.TrimEnd('/');
        var api = new UriBuilder(parsed) { Path = (path.EndsWith("/api", StringComparison.Ordinal) ? path : path + "/api") + "/", Query = string.Empty }.Uri;
        return new ApiConnection(api, key, timeout);
    }

    /// <summary>Sends a request; <paramref name="body"/> is sent as JSON when given.</summary>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(Api, path));
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new ApiUnreachableException($"the app at {Api} cannot be reached ({ex.Message}); is it running? Set --url or THORAS_URL.", ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonElement? json = null;
            if (text.Length > 0)
            {
                try
                {
                    json = JsonSerializer.Deserialize<JsonElement>(text);
                }
                catch (JsonException)
                {
                    json = null;
                }
            }

            return new ApiAnswer((int)response.StatusCode, json, text);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string? FindStateDirectory(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".thoras");
            if (Directory.Exists(candidate))
                return candidate;
        }

        return null;
    }

    private static string? ReadFile(string? state, string name)
    {
        var path = state is null ? null : Path.Combine(state, name);
        return path is not null && File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }
}

/// <summary>An API answer: its status, its body as JSON when it is JSON, and its text.</summary>
public sealed record ApiAnswer(int Status, JsonElement? Json, string Text)
{
    /// <summary>Whether the app accepted the request.</summary>
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>The problem the app answered with, as one line: <c>Title: detail (HTTP 409)</c>.</summary>
    public string Problem =>
        Json is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("title", out var title)
            ? $"{title.GetString()}: {(p.TryGetProperty("detail", out var d) ? d.GetString() : string.Empty)} (HTTP {Status})"
            : $"HTTP {Status}: {(Text.Length > 300 ? Text[..300] : Text)}";
}

/// <summary>The app could not be reached at all.</summary>
public sealed class ApiUnreachableException(string message, Exception inner) : Exception(message, inner);

using System.Text.RegularExpressions;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Thoras.Functions.Http;

/// <summary>
/// Reads a JSON request body strictly, before anything is changed: a body over the size limit is 413, a
/// non-JSON content type 415, and malformed JSON, a root that is not an object, unknown or duplicate fields,
/// wrong types, numbers in strings and missing required fields are 400 — each as a <see cref="ProblemException"/>
/// naming the offending field. Field names are camelCase and matched exactly.
/// </summary>
/// <example>
/// <code>
/// public sealed record RenameRequest(string Name);            // required: a constructor parameter without default
/// var body = await StrictJsonBody.ReadAsync&lt;RenameRequest&gt;(request, ct);
/// var options = await StrictJsonBody.ReadOptionalAsync&lt;ResumeRequest&gt;(request, ct);   // null for an empty body
/// </code>
/// </example>
public static partial class StrictJsonBody
{
    /// <summary>The default size limit: 16 KiB.</summary>
    public const int DefaultMaxBytes = 16 * 1024;

    /// <summary>The serializer options used; also fit for writing.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Reads a required body.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, int maxBytes = DefaultMaxBytes)
        where T : class =>
        await ReadOptionalAsync<T>(request, cancellationToken, maxBytes)
        ?? throw new ProblemException(StatusCodes.Status400BadRequest, "Body required", "This request needs a JSON object body.");

    /// <summary>Reads a body that may be empty; returns null when it is.</summary>
    public static async Task<T?> ReadOptionalAsync<T>(HttpRequest request, CancellationToken cancellationToken, int maxBytes = DefaultMaxBytes)
        where T : class
    {
        var bytes = await ReadBytesAsync(request, maxBytes, cancellationToken);
        if (bytes.Length == 0 || IsWhitespace(bytes))
        {
            return null;
        }

        if (request.ContentType is { Length: > 0 } contentType && !IsJson(contentType))
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"The body must be application/json, not '{contentType}'.");
        }

        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(bytes, Options);
        }
        catch (JsonException ex)
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid JSON body", Describe(ex));
        }

        return value ?? throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid JSON body", "The body must be a JSON object, not null.");
    }

    /// <summary>
    /// The raw body, read no further than <paramref name="maxBytes"/>: a larger one (by its <c>Content-Length</c> or
    /// as it streams in) is a 413 problem, so an oversize body is never held in memory.
    /// </summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var body = request.Body;
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ProblemException TooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body must be at most {maxBytes} bytes.");

    private static bool IsWhitespace(byte[] bytes) => bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n');

    private static bool IsJson(string contentType)
    {
        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
            mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The serializer's messages name .NET types ("could not be converted to Thoras...."); this says what is wrong
    /// in the API's own words, naming only the field.
    /// </summary>
    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? null : ex.Path.TrimStart('$', '.');
        var where = field is null ? "the body" : $"field '{field}'";
        var quoted = Quoted().Matches(message).Select(m => m.Groups[1].Value).ToList();
        string text;
        if (message.Contains("missing required properties", StringComparison.Ordinal))
            text = $"Required field(s) missing: {string.Join(", ", quoted.Skip(1).Select(q => $"'{q}'"))}.";
        else if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            text = $"Unknown field '{quoted.FirstOrDefault() ?? field}'.";
        else if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
            text = $"A field appears more than once in {where}.";
        else if (message.Contains("null", StringComparison.Ordinal) && message.Contains("allow", StringComparison.Ordinal))
            text = $"The value of {where} must not be null.";
        else if (message.Contains("could not be converted to", StringComparison.Ordinal))
            text = field is null ? "The body must be a JSON object." : $"The value of {where} has the wrong type.";
        else if (message.Contains("LineNumber:", StringComparison.Ordinal))
            text = "The body is not valid JSON: " + message[..message.IndexOf("LineNumber:", StringComparison.Ordinal)].Trim().TrimEnd('.', ' ') + ".";
        else
            text = $"The JSON in {where} is invalid.";

        return text.Contains("Thoras.", StringComparison.Ordinal) || text.Contains("System.", StringComparison.Ordinal) ? $"The JSON in {where} is invalid." : text;
    }

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();
}

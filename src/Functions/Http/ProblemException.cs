namespace Thoras.Functions.Http;

/// <summary>
/// A request the app refuses, turned into an RFC 9457 problem-details response by <see cref="ProblemMap"/>. Throw it
/// before any state has changed.
/// </summary>
public sealed class ProblemException : Exception
{
    public ProblemException(int status, string title, string detail, TimeSpan? retryAfter = null)
        : base(detail)
    {
        Status = status;
        Title = title;
        RetryAfter = retryAfter;
    }

    public ProblemException()
        : this(500, "Internal error", "An unexpected error occurred.")
    {
    }

    public ProblemException(string message)
        : this(400, "Bad request", message)
    {
    }

    public ProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 500;
        Title = "Internal error";
    }

    public int Status { get; }

    public string Title { get; }

    /// <summary>How long the client should wait before retrying; sent as <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; }
}

namespace Thoras.Functions.Http;

/// <summary>
/// A request the app refuses, turned into an RFC 9457 problem-details response by
/// <see cref="ProblemDetailsMiddleware"/>. Throw it before any state has changed.
/// </summary>
public sealed class ProblemException : Exception
{
    public ProblemException(int status, string title, string detail)
        : base(detail)
    {
        Status = status;
        Title = title;
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
}

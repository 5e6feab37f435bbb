using Microsoft.AspNetCore.Http;

namespace Thoras.Functions.Http;

/// <summary>
/// Bounds how long an HTTP request may wait on its dependencies: <see cref="Begin"/> replaces
/// <c>HttpContext.RequestAborted</c> with a token that also fires after <see cref="Limit"/>, so a Storage or Kubernetes
/// call that hangs ends the request with a 503 instead of holding the client. Every step the request had finished is
/// durable; the ones it had not are finished by the next sync tick or the next request (see docs/reliability.md).
/// </summary>
public sealed class RequestDeadline : IDisposable
{
    /// <summary>How long a request may take. The API's slowest normal request (a mode switch with a revert) takes well under a second.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private readonly CancellationTokenSource _source;
    private readonly HttpContext _context;
    private readonly CancellationToken _aborted;

    private RequestDeadline(HttpContext context, CancellationToken hostStopping)
    {
        _context = context;
        _aborted = context.RequestAborted;
        _source = CancellationTokenSource.CreateLinkedTokenSource(_aborted, hostStopping);
        _source.CancelAfter(Limit);
        context.RequestAborted = _source.Token;
    }

    /// <summary>Starts the deadline of <paramref name="context"/>'s request; dispose it when the request is answered.</summary>
    public static RequestDeadline Begin(HttpContext context, CancellationToken hostStopping = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new RequestDeadline(context, hostStopping);
    }

    /// <summary>
    /// <paramref name="exception"/> as what the client should hear: a failure once the deadline passed (the client still
    /// waiting) is a <see cref="RequestDeadlineExceededException"/>, whatever the cancelled call threw, unless it was a
    /// refusal of the request itself (a 4xx).
    /// </summary>
    public Exception Explain(Exception exception) =>
        _source.IsCancellationRequested && !_aborted.IsCancellationRequested && ProblemMap.Of(exception) is not { Status: < 500 }
            ? new RequestDeadlineExceededException(Limit, exception)
            : exception;

    public void Dispose()
    {
        _context.RequestAborted = _aborted;
        _source.Dispose();
    }
}

/// <summary>A request ran out of time waiting on Table Storage or the Kubernetes API.</summary>
public sealed class RequestDeadlineExceededException : Exception
{
    public RequestDeadlineExceededException(TimeSpan limit, Exception innerException)
        : base($"The request did not finish within {limit.TotalSeconds:0} s: Table Storage or the Kubernetes API is not answering. What it had done is kept and finished by the app; retry later.", innerException)
    {
    }

    public RequestDeadlineExceededException()
        : base("The request did not finish in time.")
    {
    }

    public RequestDeadlineExceededException(string message)
        : base(message)
    {
    }

    public RequestDeadlineExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

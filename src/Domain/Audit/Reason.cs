namespace Thoras.Domain.Audit;

/// <summary>
/// Why a change was made, as the caller wrote it for the audit log: at most 500 characters, no control characters
/// (a newline or escape sequence in a reason would forge lines in logs and terminals). Surrounding spaces are dropped.
/// </summary>
/// <example>
/// <code>
/// var why = Reason.Required(body.Reason);   // throws InvalidReasonException when blank or invalid
/// var maybe = Reason.Optional(body.Reason); // null when absent or blank
/// </code>
/// </example>
public sealed record Reason
{
    /// <summary>The longest reason, in characters.</summary>
    public const int MaxLength = 500;

    private Reason(string text) => Text = text;

    /// <summary>The reason as recorded.</summary>
    public string Text { get; }

    /// <summary>A reason that must be given. Throws <see cref="InvalidReasonException"/>.</summary>
    public static Reason Required(string? text) =>
        Optional(text) ?? throw new InvalidReasonException("Field 'reason' is required and must not be blank.");

    /// <summary>A reason that may be left out; null when it is absent or blank. Throws <see cref="InvalidReasonException"/>.</summary>
    public static Reason? Optional(string? text)
    {
        if (text is null)
            return null;
        if (text.Length > MaxLength)
            throw new InvalidReasonException($"Field 'reason' must be at most {MaxLength} characters.");
        if (text.Any(char.IsControl))
            throw new InvalidReasonException("Field 'reason' must not contain control characters (newlines, tabs, escapes).");
        var trimmed = text.Trim();
        return trimmed.Length == 0 ? null : new Reason(trimmed);
    }

    public override string ToString() => Text;
}

/// <summary>A reason breaks <see cref="Reason"/>'s rules; the message says which.</summary>
public sealed class InvalidReasonException : Exception
{
    public InvalidReasonException()
        : this("The reason is invalid.")
    {
    }

    public InvalidReasonException(string message)
        : base(message)
    {
    }

    public InvalidReasonException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

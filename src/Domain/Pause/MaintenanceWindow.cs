using System.Text.RegularExpressions;
using Cronos;

namespace Thoras.Domain.Pause;

/// <summary>
/// A recurring period in which scaling is paused: it starts at every occurrence of <see cref="Cron"/>
/// in <see cref="TimeZone"/> and lasts <see cref="Duration"/> of elapsed time. Occurrences follow
/// Cronos's daylight-saving rules: a start in the hour skipped in spring fires when the clock jumps,
/// and a start in the hour repeated in autumn fires once.
/// </summary>
public sealed partial class MaintenanceWindow
{
    /// <summary>The longest window allowed.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(7);

    /// <summary>The longest reason allowed, in characters.</summary>
    public const int MaxReasonLength = Audit.Reason.MaxLength;

    /// <summary>The longest id allowed.</summary>
    public const int MaxIdLength = 40;

    private const int MaxCronLength = 120;
    private const int MaxTimeZoneLength = 64;

    private readonly CronExpression _expression;
    private readonly TimeZoneInfo _zone;

    private MaintenanceWindow(string id, string cron, CronExpression expression, TimeSpan duration, string timeZone, TimeZoneInfo zone, string reason, bool enabled, string createdBy, DateTimeOffset createdAt)
    {
        Id = id;
        Cron = cron;
        _expression = expression;
        Duration = duration;
        TimeZone = timeZone;
        _zone = zone;
        Reason = reason;
        Enabled = enabled;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    /// <summary>Identifier: 1–40 lower-case letters, digits or dashes. The window's holder is <c>window:&lt;id&gt;</c>.</summary>
    public string Id { get; }

    /// <summary>Cron expression with 5 fields (minute precision) or 6 (a leading seconds field).</summary>
    public string Cron { get; }

    /// <summary>How long each occurrence lasts, in elapsed time.</summary>
    public TimeSpan Duration { get; }

    /// <summary>IANA (<c>Europe/Berlin</c>) or Windows (<c>W. Europe Standard Time</c>) time zone id the cron is read in.</summary>
    public string TimeZone { get; }

    /// <summary>Why the window exists; becomes the reason of its pause holder.</summary>
    public string Reason { get; }

    /// <summary>A disabled window never pauses.</summary>
    public bool Enabled { get; }

    /// <summary>Who created the window.</summary>
    public string CreatedBy { get; }

    /// <summary>When the window was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Validates every field and builds the window.</summary>
    /// <exception cref="InvalidMaintenanceWindowException">A field is invalid; the message names it.</exception>
    public static MaintenanceWindow Define(string id, string cron, TimeSpan duration, string timeZone, string reason, bool enabled, string createdBy, DateTimeOffset createdAt)
    {
        if (!IsValidId(id))
        {
            throw new InvalidMaintenanceWindowException("id", $"'{id}' is not a valid window id: use 1-40 lower-case letters, digits or dashes, starting with a letter or digit.");
        }

        var expression = ParseCron(cron);
        if (duration <= TimeSpan.Zero || duration > MaxDuration)
        {
            throw new InvalidMaintenanceWindowException("duration", $"Duration must be more than zero and at most {MaxDuration.TotalDays:0} days.");
        }

        var zone = FindZone(timeZone);
        if (expression.GetNextOccurrence(createdAt, zone) is null)
        {
            throw new InvalidMaintenanceWindowException("cron", $"Cron '{cron}' never fires (no date matches it), so the window would never open.");
        }

        Audit.Reason checkedReason;
        try
        {
            checkedReason = Audit.Reason.Required(reason);
        }
        catch (Audit.InvalidReasonException ex)
        {
            throw new InvalidMaintenanceWindowException("reason", ex.Message);
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(createdBy);
        return new MaintenanceWindow(id, string.Join(' ', CronFields(cron)), expression, duration, timeZone, zone, checkedReason.Text, enabled, createdBy, createdAt);
    }

    /// <summary>
    /// Whether <paramref name="id"/> has the shape of a window id: 1–40 ASCII lower-case letters, digits or dashes,
    /// starting with a letter or digit. Checked character by character, so a trailing newline cannot slip through.
    /// </summary>
    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && id[0] != '-' && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <summary>
    /// The occurrence in force at <paramref name="now"/> (the latest one that started at or before it and
    /// has not yet ended), or null when the window is disabled or not active.
    /// </summary>
    public WindowOccurrence? ActiveOccurrence(DateTimeOffset now)
    {
        if (!Enabled)
        {
            return null;
        }

        DateTimeOffset? latest = null;
        foreach (var start in _expression.GetOccurrences(now - Duration, now, _zone, fromInclusive: false, toInclusive: true))
        {
            latest = start;
        }

        return latest is { } s ? new WindowOccurrence(s, s + Duration) : null;
    }

    /// <summary>The first occurrence that starts after <paramref name="now"/>, or null if the cron never fires again.</summary>
    public WindowOccurrence? NextOccurrence(DateTimeOffset now) =>
        _expression.GetNextOccurrence(now, _zone) is { } s ? new WindowOccurrence(s, s + Duration) : null;

    private static string[] CronFields(string? cron) => (cron ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static CronExpression ParseCron(string cron)
    {
        if (cron is null || cron.Length > MaxCronLength || !cron.All(c => c is >= ' ' and <= '~'))
        {
            throw new InvalidMaintenanceWindowException("cron", $"A cron expression of at most {MaxCronLength} printable ASCII characters (fields separated by spaces) is required.");
        }

        var fields = CronFields(cron).Length;
        var format = fields switch
        {
            5 => CronFormat.Standard,
            6 => CronFormat.IncludeSeconds,
            _ => throw new InvalidMaintenanceWindowException("cron", $"Cron '{cron}' must have 5 fields (minute hour day month weekday) or 6 (with leading seconds)."),
        };
        try
        {
            return CronExpression.Parse(string.Join(' ', CronFields(cron)), format);
        }
        catch (CronFormatException ex)
        {
            throw new InvalidMaintenanceWindowException("cron", $"Cron '{cron}' is invalid: {ex.Message}");
        }
    }

    private static TimeZoneInfo FindZone(string timeZone)
    {
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            throw new InvalidMaintenanceWindowException("timeZone", "A time zone is required, e.g. 'Europe/Berlin', 'UTC' or 'W. Europe Standard Time'.");
        }

        // Only the characters zone ids use; a name like 'Europe' (a folder of the IANA database) or '../x' is refused
        // before the lookup, which on Linux reads the database's files.
        if (timeZone.Length > MaxTimeZoneLength || !ZoneIdPattern().IsMatch(timeZone) || timeZone.Contains("..", StringComparison.Ordinal)
            || !TryFindZone(timeZone, out var zone))
        {
            throw new InvalidMaintenanceWindowException("timeZone", $"Time zone '{(timeZone.Length <= 80 ? timeZone : timeZone[..80] + "...")}' is not in the IANA time zone database: use an IANA id such as 'Europe/Berlin' or 'UTC' (or a Windows id such as 'W. Europe Standard Time').");
        }

        return zone;
    }

    private static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            // .NET resolves both IANA and Windows ids on every platform (through ICU on Linux).
            return TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidTimeZoneException or System.Security.SecurityException)
        {
            zone = null!;
            return false;
        }
    }

    [GeneratedRegex(@"\A[A-Za-z][A-Za-z0-9_+\-/. ()]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ZoneIdPattern();
}

/// <summary>One occurrence of a maintenance window, from its start (inclusive) to its end (exclusive).</summary>
public sealed record WindowOccurrence(DateTimeOffset Start, DateTimeOffset End);

/// <summary>A maintenance window definition was refused; <see cref="Field"/> names the offending field.</summary>
public sealed class InvalidMaintenanceWindowException : Exception
{
    public InvalidMaintenanceWindowException(string field, string message)
        : base(message) => Field = field;

    public InvalidMaintenanceWindowException()
        : this("window", "The maintenance window is invalid.")
    {
    }

    public InvalidMaintenanceWindowException(string message)
        : this("window", message)
    {
    }

    public InvalidMaintenanceWindowException(string message, Exception innerException)
        : base(message, innerException) => Field = "window";

    /// <summary>The JSON name of the invalid field.</summary>
    public string Field { get; }
}

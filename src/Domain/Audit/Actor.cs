namespace Thoras.Domain.Audit;

/// <summary>
/// Who made a change, as recorded in the audit log. A caller either names itself (<see cref="Declared"/>: a short
/// handle) or is named by App Service Authentication (<see cref="Principal"/>: a signed-in user's name); the app's own
/// actors (<c>cluster</c>, <c>configmap</c>, <c>app-setting</c>, <c>system</c>) can never be claimed by a caller.
/// </summary>
/// <example>
/// <code>
/// var actor = Actor.Declared(body.Actor);            // null: "api"; throws InvalidActorException otherwise
/// var signedIn = Actor.Principal("alice@contoso.com");
/// </code>
/// </example>
public sealed record Actor
{
    /// <summary>The actor of a caller that names no one.</summary>
    public const string DefaultName = "api";

    /// <summary>The longest declared name.</summary>
    public const int MaxDeclaredLength = 64;

    /// <summary>The longest principal name (an e-mail address or user principal name fits).</summary>
    public const int MaxPrincipalLength = 254;

    /// <summary>Names the app records for its own changes, which no caller may use.</summary>
    public static readonly IReadOnlyList<string> Reserved = ["cluster", "configmap", "app-setting", "system"];

    private Actor(string name) => Name = name;

    /// <summary>The name as recorded.</summary>
    public string Name { get; }

    /// <summary>The default actor, <c>api</c>.</summary>
    public static Actor Default { get; } = new(DefaultName);

    /// <summary>
    /// A name the caller gave itself: 1–64 ASCII letters, digits, <c>@</c>, <c>.</c>, <c>_</c> or <c>-</c>, starting
    /// with a letter or digit; null gives <see cref="Default"/>. Throws <see cref="InvalidActorException"/>.
    /// </summary>
    public static Actor Declared(string? name)
    {
        if (name is null)
            return Default;
        if (name.Length is 0 or > MaxDeclaredLength || !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '@' or '.' or '_' or '-'))
        {
            throw new InvalidActorException(
                $"Field 'actor' must be 1-{MaxDeclaredLength} letters, digits, '@', '.', '_' or '-', starting with a letter or digit.");
        }

        return NotReserved(name);
    }

    /// <summary>
    /// The name of a principal signed in through App Service Authentication: 1–254 printable characters, no control
    /// characters, no leading or trailing space. Throws <see cref="InvalidActorException"/>.
    /// </summary>
    public static Actor Principal(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxPrincipalLength || name.Any(char.IsControl) || char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]) || !IsWellFormed(name))
        {
            throw new InvalidActorException($"The signed-in principal's name must be 1-{MaxPrincipalLength} printable characters without control characters.");
        }

        return NotReserved(name);
    }

    /// <summary>One of the app's own actors (e.g. <c>cluster</c> for adopted <c>kubectl edit</c>s).</summary>
    public static Actor App(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Actor(name);
    }

    public override string ToString() => Name;

    private static Actor NotReserved(string name) =>
        Reserved.Contains(name, StringComparer.OrdinalIgnoreCase)
            ? throw new InvalidActorException($"'{name}' is a name the app uses for its own changes ({string.Join(", ", Reserved)}); choose another actor.")
            : new Actor(name);

    private static bool IsWellFormed(string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
                i++;
            else if (char.IsSurrogate(name[i]))
                return false;
        }

        return true;
    }
}

/// <summary>An actor name breaks <see cref="Actor"/>'s rules; the message says which.</summary>
public sealed class InvalidActorException : Exception
{
    public InvalidActorException()
        : this("The actor is invalid.")
    {
    }

    public InvalidActorException(string message)
        : base(message)
    {
    }

    public InvalidActorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

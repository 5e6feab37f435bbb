namespace Thoras.Domain.Targets;

/// <summary>
/// Where an AIScaleTarget is: <c>namespace/name</c>. Names are reused after a delete; a target's identity is its UID
/// (<see cref="TargetMetadata.Uid"/>), so code that must not act on a recreated target checks the UID too.
/// </summary>
public readonly record struct TargetKey(string Namespace, string Name)
{
    /// <summary>Reads <c>namespace/name</c>.</summary>
    public static TargetKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
            throw new FormatException($"'{text}' is not a target; write namespace/name");
        return new TargetKey(text[..slash], text[(slash + 1)..]);
    }

    public override string ToString() => $"{Namespace}/{Name}";
}

using System.Text.RegularExpressions;

namespace Thoras.Infrastructure.Storage;

/// <summary>The names of the app's tables and blob containers, derived from one validated prefix.</summary>
public sealed partial class StorageNames
{
    public StorageNames(string prefix)
    {
        if (!PrefixPattern().IsMatch(prefix))
        {
            throw new ArgumentException(
                $"Storage prefix '{prefix}' is invalid: use 1-40 letters or digits, starting with a letter.",
                nameof(prefix));
        }

        Prefix = prefix;
    }

    public string Prefix { get; }

    /// <summary>The append-only audit log.</summary>
    public string AuditTable => Prefix + "Audit";

    /// <summary>The table name for a purpose, e.g. <c>Targets</c>.</summary>
    public string Table(string purpose) => Prefix + purpose;

    /// <summary>A blob container name (lower case, as Blob Storage requires).</summary>
    public string Container(string purpose) => (Prefix + "-" + purpose).ToLowerInvariant();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex PrefixPattern();
}

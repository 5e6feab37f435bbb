using System.Text.RegularExpressions;

namespace Thoras.Sandbox.Storage;

/// <summary>Object names: DNS-1123 validation and the random suffixes the API server and controllers generate.</summary>
internal static partial class Names
{
    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string RandomSuffix(int length = 5) =>
        new(Enumerable.Range(0, length).Select(_ => SuffixAlphabet[Random.Shared.Next(SuffixAlphabet.Length)]).ToArray());

    public static void Validate(ResourceType type, string name)
    {
        if (!IsSubdomain(name))
        {
            throw ApiError.Invalid(type, name, FieldError.Invalid("metadata.name", name,
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"));
        }
    }

    public static bool IsSubdomain(string name) => name.Length <= 253 && Subdomain().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}

using System.Text.RegularExpressions;

namespace Thoras.Sandbox.Api;

/// <summary>Object names: DNS-1123 validation and the random suffixes the API server and controllers generate.</summary>
internal static partial class Names
{
    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string RandomSuffix(int length = 5) =>
        new(Enumerable.Range(0, length).Select(_ => SuffixAlphabet[Random.Shared.Next(SuffixAlphabet.Length)]).ToArray());

    public static void Validate(ResourceType type, string name)
    {
        if (name.Length > 253 || !Subdomain().IsMatch(name))
        {
            throw ApiError.Invalid(type, name,
                $"metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}

using Microsoft.AspNetCore.Http;
using Thoras.Domain.Targets;
using Thoras.Functions.Http;

namespace Thoras.Functions.Targets;

/// <summary>Reads <c>{namespace}/{name}</c> from a route, refusing what Kubernetes could never name.</summary>
public static class TargetRoute
{
    /// <summary>The target key, or a 400 problem: a namespace must be a DNS-1123 label, a name a DNS-1123 subdomain.</summary>
    public static TargetKey Key(string? @namespace, string? name)
    {
        Namespace(@namespace);
        if (name is null || name.Length > 253 || !name.Split('.').All(part => IsLabel(part, 63)))
        {
            throw new ProblemException(
                StatusCodes.Status400BadRequest, "Invalid name",
                $"'{Shown(name)}' is not an AIScaleTarget name: use at most 253 lower-case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit (DNS-1123 subdomain).");
        }

        return new TargetKey(@namespace!, name);
    }

    /// <summary>The namespace, or a 400 problem unless it is a DNS-1123 label.</summary>
    public static string Namespace(string? @namespace)
    {
        if (@namespace is null || !IsLabel(@namespace, 63))
        {
            throw new ProblemException(
                StatusCodes.Status400BadRequest, "Invalid namespace",
                $"'{Shown(@namespace)}' is not a namespace name: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (DNS-1123 label).");
        }

        return @namespace;
    }

    /// <summary>Checked character by character (no regular expression whose <c>$</c> would let a final newline through).</summary>
    private static bool IsLabel(string text, int maxLength) =>
        text.Length > 0 && text.Length <= maxLength
        && text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && text[0] != '-' && text[^1] != '-';

    /// <summary>At most 80 characters of what the caller sent, so an answer never echoes a huge path.</summary>
    private static string Shown(string? text) => text is null ? string.Empty : text.Length <= 80 ? text : text[..80] + "...";
}

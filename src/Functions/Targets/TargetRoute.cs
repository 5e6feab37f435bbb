using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Thoras.Domain.Targets;
using Thoras.Functions.Http;

namespace Thoras.Functions.Targets;

/// <summary>Reads <c>{namespace}/{name}</c> from a route, refusing what Kubernetes could never name.</summary>
public static partial class TargetRoute
{
    /// <summary>The target key, or a 400 problem: a namespace must be a DNS-1123 label, a name a DNS-1123 subdomain.</summary>
    public static TargetKey Key(string? @namespace, string? name)
    {
        Namespace(@namespace);
        if (name is null || name.Length > 253 || !Subdomain().IsMatch(name))
        {
            throw new ProblemException(
                StatusCodes.Status400BadRequest, "Invalid name",
                $"'{name}' is not an AIScaleTarget name: use at most 253 lower-case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit (DNS-1123 subdomain).");
        }

        return new TargetKey(@namespace!, name);
    }

    /// <summary>The namespace, or a 400 problem unless it is a DNS-1123 label.</summary>
    public static string Namespace(string? @namespace)
    {
        if (@namespace is null || @namespace.Length > 63 || !Label().IsMatch(@namespace))
        {
            throw new ProblemException(
                StatusCodes.Status400BadRequest, "Invalid namespace",
                $"'{@namespace}' is not a namespace name: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (DNS-1123 label).");
        }

        return @namespace;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}

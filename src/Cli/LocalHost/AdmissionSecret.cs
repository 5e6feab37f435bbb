using System.Security.Cryptography;

namespace Thoras.Cli.LocalHost;

/// <summary>
/// The local host's admission webhook secret (the webhook URL's path segment, <c>Admission__PathSecret</c>): 32
/// random bytes as hex, generated on its own (never derived from the function key, so one leaking tells nothing of
/// the other) and kept in a file readable only by its owner, so it survives restarts.
/// </summary>
public static class AdmissionSecret
{
    /// <summary>Reads the secret from <paramref name="path"/>, or creates a new random one there.</summary>
    public static string LoadOrCreate(string path)
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= 32 } existing)
            return existing;

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, secret + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secret;
    }
}

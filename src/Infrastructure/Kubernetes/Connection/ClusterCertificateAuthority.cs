using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Thoras.Infrastructure.Kubernetes.Connection;

/// <summary>Reads the cluster CA from a kubeconfig's <c>certificate-authority-data</c> (base64 PEM) or from PEM text.</summary>
public static class ClusterCertificateAuthority
{
    /// <exception cref="FormatException">The value holds no PEM certificate.</exception>
    public static X509Certificate2Collection Parse(string value)
    {
        var pem = value.Contains("-----BEGIN", StringComparison.Ordinal) ? value : DecodeBase64(value);
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new FormatException("The certificate authority data is not a valid PEM certificate.", e);
        }

        return certificates.Count > 0
            ? certificates
            : throw new FormatException("The certificate authority data holds no PEM certificate.");
    }

    private static string DecodeBase64(string value)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value.Trim()));
        }
        catch (FormatException e)
        {
            throw new FormatException("The certificate authority data is neither base64 nor PEM text.", e);
        }
    }
}

namespace Thoras.Functions.Apply;

/// <summary>The admission webhook's settings (app settings under <c>Admission__</c>).</summary>
public sealed class AdmissionOptions
{
    public const string SectionName = "Admission";

    /// <summary>
    /// The secret path segment of the webhook URL (<c>/api/admission/pods/{secret}</c>): Kubernetes forbids query
    /// strings in webhook URLs, so the function key cannot be used. No default: without it every call gets 401.
    /// </summary>
    public string? PathSecret { get; set; }
}

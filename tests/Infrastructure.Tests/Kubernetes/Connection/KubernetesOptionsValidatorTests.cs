using Thoras.Infrastructure.Kubernetes.Connection;
using Xunit;

namespace Thoras.Infrastructure.Tests.Kubernetes.Connection;

public sealed class KubernetesOptionsValidatorTests : IDisposable
{
    private readonly TestCertificates certificates = TestCertificates.Create();
    private readonly KubernetesOptionsValidator validator = new();

    public void Dispose() => certificates.Dispose();

    [Fact]
    public void Validate_CompleteAksOptions_Succeeds()
    {
        var options = new OptionsBuilder().Aks("https://my-aks.hcp.westeurope.azmk8s.io:443", certificates.AuthorityData).Build();

        Assert.True(validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_AksModeInCapitals_Succeeds()
    {
        var options = new OptionsBuilder().Aks("https://my-aks.hcp.westeurope.azmk8s.io:443", certificates.AuthorityData)
            .With(o => o.Mode = "AKS").Build();

        Assert.True(validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_AksCaAsPemText_Succeeds()
    {
        var options = new OptionsBuilder().Aks("https://my-aks.hcp.westeurope.azmk8s.io:443", certificates.Authority.ExportCertificatePem()).Build();

        Assert.True(validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("kube", "Kubernetes__Mode is 'kube'; use one of: aks, kubeconfig, url.")]
    [InlineData("", "Kubernetes__Mode is ''; use one of: aks, kubeconfig, url.")]
    public void Validate_UnknownMode_ListsAcceptedModes(string mode, string expected)
    {
        var options = new OptionsBuilder().With(o => o.Mode = mode).Build();

        Assert.Equal([expected], validator.Validate(null, options).Failures);
    }

    [Fact]
    public void Validate_AksWithoutClusterUrl_AsksForApiServerUrl()
    {
        var options = new OptionsBuilder().Aks(" ", certificates.AuthorityData).Build();

        var failure = Assert.Single(validator.Validate(null, options).Failures!);
        Assert.StartsWith("Kubernetes__ClusterUrl is required when Kubernetes__Mode is aks", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://my-aks.hcp.westeurope.azmk8s.io")]
    [InlineData("my-aks.hcp.westeurope.azmk8s.io")]
    public void Validate_AksWithoutHttpsUrl_RequiresHttps(string url)
    {
        var options = new OptionsBuilder().Aks(url, certificates.AuthorityData).Build();

        Assert.Equal(
            [$"Kubernetes__ClusterUrl must be an absolute https URL when Kubernetes__Mode is aks; got '{url}'."],
            validator.Validate(null, options).Failures);
    }

    [Fact]
    public void Validate_AksWithoutCa_AsksForCertificateAuthorityData()
    {
        var options = new OptionsBuilder().Aks("https://my-aks.hcp.westeurope.azmk8s.io:443", "").Build();

        Assert.Equal(
            ["Kubernetes__CertificateAuthorityData is required when Kubernetes__Mode is aks: the base64 certificate-authority-data of the cluster in its kubeconfig."],
            validator.Validate(null, options).Failures);
    }

    [Theory]
    [InlineData("not base64!", "Kubernetes__CertificateAuthorityData is invalid: The certificate authority data is neither base64 nor PEM text.")]
    [InlineData("aGVsbG8=", "Kubernetes__CertificateAuthorityData is invalid: The certificate authority data holds no PEM certificate.")]
    public void Validate_AksWithMalformedCa_SaysWhatIsWrong(string data, string expected)
    {
        var options = new OptionsBuilder().Aks("https://my-aks.hcp.westeurope.azmk8s.io:443", data).Build();

        Assert.Equal([expected], validator.Validate(null, options).Failures);
    }

    [Fact]
    public void Validate_AksWithEmptyScope_NamesDefaultScope()
    {
        var options = new OptionsBuilder().Aks("https://my-aks.hcp.westeurope.azmk8s.io:443", certificates.AuthorityData)
            .With(o => o.AksScope = "").Build();

        Assert.Equal(
            ["Kubernetes__AksScope must not be empty; leave it unset for the default 6dae42f8-4368-4678-94ff-3960e28e3630/.default."],
            validator.Validate(null, options).Failures);
    }

    [Fact]
    public void Validate_AksWithNothingSet_ReportsEveryMissingSetting()
    {
        var options = new OptionsBuilder().With(o => o.Mode = "aks").Build();

        Assert.Equal(2, validator.Validate(null, options).Failures!.Count());
    }

    [Fact]
    public void Validate_UrlModeWithLocalHttp_Succeeds()
    {
        var options = new OptionsBuilder().Url("http://127.0.0.1:8001").Build();

        Assert.True(validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_UrlModeWithoutUrl_AsksForUrl()
    {
        var options = new OptionsBuilder().With(o => o.Mode = "url").Build();

        Assert.Equal(
            ["Kubernetes__ClusterUrl is required when Kubernetes__Mode is url, e.g. http://127.0.0.1:8001."],
            validator.Validate(null, options).Failures);
    }

    [Fact]
    public void Validate_UrlModeWithRelativeUrl_RequiresAbsoluteUrl()
    {
        var options = new OptionsBuilder().Url("/api").Build();

        Assert.Equal(["Kubernetes__ClusterUrl must be an absolute http or https URL; got '/api'."], validator.Validate(null, options).Failures);
    }

    [Fact]
    public void Validate_KubeconfigModeWithMissingFile_NamesPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "config");
        var options = new OptionsBuilder().Kubeconfig(path).Build();

        Assert.Equal(
            [$"Kubernetes__Mode is kubeconfig but there is no kubeconfig file at '{path}'; set Kubernetes__KubeconfigPath (or KUBECONFIG), or choose another Kubernetes__Mode."],
            validator.Validate(null, options).Failures);
    }

    [Fact]
    public void Validate_KubeconfigModeWithExistingFile_Succeeds()
    {
        var path = Path.GetTempFileName();
        try
        {
            var options = new OptionsBuilder().Kubeconfig(path).Build();

            Assert.True(validator.Validate(null, options).Succeeded);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0, 100, 1, "Kubernetes__RequestsPerSecond must be a positive number")]
    [InlineData(50, 0, 1, "Kubernetes__RequestBurst must be at least 1")]
    [InlineData(50, 100, 0, "Kubernetes__BudgetInstances must be at least 1")]
    [InlineData(1, 100, 20, "leaves less than 0.1 requests per second per instance")]
    public void Validate_UnusableRequestBudget_FailsNamingTheSetting(double qps, int burst, int instances, string expected)
    {
        var options = new OptionsBuilder().Url("http://127.0.0.1:8001")
            .With(o => (o.RequestsPerSecond, o.RequestBurst, o.BudgetInstances) = (qps, burst, instances)).Build();

        var result = validator.Validate(null, options);

        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }
}

using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Thoras.Functions.Http;
using Thoras.Infrastructure.Storage;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Functions.Tests.Http;

public sealed class HealthFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Run_StorageReachable_ReportsHealthyWithVersion()
    {
        var function = new HealthFunction(new TableStorageProbe(azurite.Tables));

        var result = Assert.IsType<ObjectResult>(await function.Run(new DefaultHttpContext { Request = { Method = "GET" } }.Request));

        Assert.Equal(StatusCodes.Status200OK, result.StatusCode);
        var report = Assert.IsType<HealthFunction.HealthReport>(result.Value);
        Assert.Equal("healthy", report.Status);
        Assert.True(report.TableStorage.Reachable);
        Assert.StartsWith("0.1.0", report.Version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StorageUnreachable_Reports503WithReason()
    {
        // A closed loopback port: nothing listens there.
        var unreachable = new TableServiceClient(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;",
            new TableClientOptions { Retry = { MaxRetries = 0 } });
        var function = new HealthFunction(new TableStorageProbe(unreachable));

        var result = Assert.IsType<ObjectResult>(await function.Run(new DefaultHttpContext { Request = { Method = "GET" } }.Request));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, result.StatusCode);
        var report = Assert.IsType<HealthFunction.HealthReport>(result.Value);
        Assert.Equal("unhealthy", report.Status);
        Assert.False(report.TableStorage.Reachable);
        Assert.False(string.IsNullOrWhiteSpace(report.TableStorage.Error));
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Thoras.Infrastructure.Storage.Emulator;
using Xunit;

namespace Thoras.Cli.Tests.Backtest;

/// <summary>
/// What a user types: <c>dotnet run --project src/Cli -- backtest --format json ...</c>. The build that
/// <c>dotnet run</c> does first writes its warnings on stdout, so stdout is clean JSON only while the build is quiet.
/// </summary>
public sealed class DotnetRunJsonTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("thoras-dotnet-run-").FullName;

    [Fact]
    public async Task DotnetRun_BacktestFormatJson_StdoutParsesAsJson()
    {
        var trace = Path.Combine(directory, "daily.csv");
        await File.WriteAllTextAsync(trace, DailyTrace(days: 2));
        // The configuration these tests were built in, so dotnet run finds the projects up to date (but still restores).
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AzuriteProcess.FindRepositoryRoot(),
        };
        foreach (var arg in new[] { "run", "--project", "src/Cli", "-c", configuration, "--", "backtest", trace, "--format", "json", "--min-lookback", "12h", "--no-progress" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10)))
        {
            await process.WaitForExitAsync(timeout.Token);
        }

        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}\n{output}");
        using var json = JsonDocument.Parse(output);
        Assert.Equal("daily", json.RootElement.GetProperty("series")[0].GetProperty("name").GetString());
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string DailyTrace(int days)
    {
        var random = new Random(5);
        var text = new StringBuilder("timestamp,value\n");
        var start = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < days * 288; i++)
        {
            var value = 10 + (5 * Math.Sin(2 * Math.PI * i / 288.0)) + random.NextDouble();
            text.Append(CultureInfo.InvariantCulture, $"{start.AddMinutes(5 * i):yyyy-MM-dd HH:mm:ss},{value:0.###}\n");
        }

        return text.ToString();
    }
}

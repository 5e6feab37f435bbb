using System.Globalization;
using System.Text;
using System.Text.Json;
using Thoras.Cli.Backtest;
using Xunit;

namespace Thoras.Cli.Tests.Backtest;

public sealed class BacktestCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("thoras-backtest-").FullName;

    [Fact]
    public void Run_JsonFormat_DocumentedShape()
    {
        var trace = WriteTrace("daily.csv", days: 2);
        var stdout = new StringWriter();

        var exit = BacktestCommand.Run([trace, "--format", "json", "--min-lookback", "12h", "--no-progress"], stdout, TextWriter.Null);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout.ToString());
        var series = Assert.Single(json.RootElement.GetProperty("series").EnumerateArray());
        Assert.Equal("daily", series.GetProperty("name").GetString());
        Assert.Equal((576, 0, JsonValueKind.Null), (series.GetProperty("points").GetInt32(), series.GetProperty("gaps").GetInt32(), series.GetProperty("upper").ValueKind));
        var results = series.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(4, results.Count(r => r.GetProperty("policy").GetString() == "thoras"));
        Assert.Equal(4, results.Count(r => r.GetProperty("policy").GetString() == "naive"));
        Assert.Equal(13, results.Count(r => r.GetProperty("policy").GetString() == "vpa"));
        Assert.Single(results, r => r.GetProperty("policy").GetString() == "static");
        foreach (var result in results)
        {
            foreach (var name in new[] { "policy", "setting", "riskTarget", "underProvisionedShare", "slack", "deficit", "changes", "changesPerDay" })
            {
                Assert.True(result.TryGetProperty(name, out _), $"result lacks {name}");
            }
        }

        Assert.All(results.Where(r => r.GetProperty("policy").GetString() == "vpa"), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("riskTarget").ValueKind));
        var frontier = json.RootElement.GetProperty("frontier").EnumerateArray().ToArray();
        Assert.Contains(frontier, f => f.GetProperty("policy").GetString() == "thoras" && f.GetProperty("riskTarget").GetDouble() == 0.02);
        Assert.All(frontier, f => Assert.True(f.TryGetProperty("medianChangesPerDay", out _)));
    }

    [Fact]
    public void Run_UpperForTheFile_NoAllocationAboveIt()
    {
        var trace = WriteTrace("daily.csv", days: 2);
        var stdout = new StringWriter();

        BacktestCommand.Run([trace, "--format", "json", "--min-lookback", "12h", "--no-progress", "--upper", "50", "--upper", $"{trace}=12"], stdout, TextWriter.Null);

        using var json = JsonDocument.Parse(stdout.ToString());
        var series = json.RootElement.GetProperty("series")[0];
        var vpa999 = series.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("policy").GetString() == "vpa" && r.GetProperty("setting").GetDouble() == 0.999);
        // The trace peaks near 16, so VPA's P99.9 × 1.15 wants more than 12: clamped, it misses whenever usage passes 12.
        Assert.Equal(12, series.GetProperty("upper").GetDouble());
        Assert.True(vpa999.GetProperty("underProvisionedShare").GetDouble() > 0.2);
    }

    [Fact]
    public void Run_TableFormat_PerSeriesLineAndSummary()
    {
        var trace = WriteTrace("daily.csv", days: 2);
        var stdout = new StringWriter();

        BacktestCommand.Run([trace, "--min-lookback", "12h", "--no-progress"], stdout, TextWriter.Null);

        var lines = stdout.ToString().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("daily ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Across series", StringComparison.Ordinal));
        Assert.Equal(4, lines.Count(l => l.StartsWith("thoras ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("series ", StringComparison.Ordinal) && l.Contains("chg/day", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("policy ", StringComparison.Ordinal) && l.Contains("chg/day", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_Plots_WritesOnePngPerSeriesAndTheSummary()
    {
        var trace = WriteTrace("daily.csv", days: 2);
        var plots = Path.Combine(directory, "plots");

        BacktestCommand.Run([trace, "--min-lookback", "12h", "--plots", plots, "--no-progress"], TextWriter.Null, TextWriter.Null);

        var files = Directory.GetFiles(plots).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal);
        Assert.Equal(["daily.png", "summary.png"], files);
        Assert.All(Directory.GetFiles(plots), png => Assert.True(new FileInfo(png).Length > 1000));
    }

    [Fact]
    public void Run_BadUpper_Rejected()
    {
        var trace = WriteTrace("daily.csv", days: 1);

        var error = Assert.Throws<CommandLineException>(() => BacktestCommand.Run([trace, "--upper", "x=-1"], TextWriter.Null, TextWriter.Null));

        Assert.Contains("--upper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Progress_OnStderrOnly()
    {
        var trace = WriteTrace("daily.csv", days: 2);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        BacktestCommand.Run([trace, "--format", "json", "--min-lookback", "12h"], stdout, stderr);

        Assert.Contains("1/1", stderr.ToString(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
    }

    [Fact]
    public void Run_UnknownOption_Rejected()
    {
        var trace = WriteTrace("daily.csv", days: 1);

        var error = Assert.Throws<CommandLineException>(() => BacktestCommand.Run([trace, "--colour", "red"], TextWriter.Null, TextWriter.Null));

        Assert.Contains("--colour", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadMode_Rejected()
    {
        var trace = WriteTrace("daily.csv", days: 1);

        Assert.Throws<CommandLineException>(() => BacktestCommand.Run([trace, "--mode", "cheap"], TextWriter.Null, TextWriter.Null));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string WriteTrace(string name, int days)
    {
        var random = new Random(5);
        var text = new StringBuilder("timestamp,value\n");
        var start = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < days * 288; i++)
        {
            var value = 10 + (5 * Math.Sin(2 * Math.PI * i / 288.0)) + random.NextDouble();
            text.Append(CultureInfo.InvariantCulture, $"{start.AddMinutes(5 * i):yyyy-MM-dd HH:mm:ss},{value:0.###}\n");
        }

        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }
}

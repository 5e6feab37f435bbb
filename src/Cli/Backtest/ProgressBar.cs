namespace Thoras.Cli.Backtest;

/// <summary>A one-line progress bar on stderr, so stdout stays clean for JSON.</summary>
public sealed class ProgressBar
{
    private readonly TextWriter output;
    private readonly int total;
    private readonly object gate = new();
    private int done;

    /// <summary>Creates a bar for <paramref name="total"/> steps writing to <paramref name="output"/>.</summary>
    public ProgressBar(TextWriter output, int total)
    {
        this.output = output;
        this.total = total;
    }

    /// <summary>Marks one step done and redraws.</summary>
    public void Advance(string label)
    {
        lock (gate)
        {
            done++;
            var width = 30;
            var filled = total == 0 ? width : done * width / total;
            output.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} {label,-40}");
            if (done == total)
            {
                output.WriteLine();
            }
        }
    }
}

using Azure.Data.Tables;

namespace Thoras.Infrastructure.Storage;

/// <summary>Checks that Table Storage answers, for the health endpoint.</summary>
public sealed class TableStorageProbe(TableServiceClient service)
{
    /// <summary>Returns null when Table Storage answered within <paramref name="timeout"/>, or why it did not.</summary>
    public async Task<string?> ProbeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await foreach (var _ in service.QueryAsync(maxPerPage: 1, cancellationToken: cts.Token).AsPages(pageSizeHint: 1).WithCancellation(cts.Token))
            {
                break;
            }

            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {timeout.TotalSeconds:0.#} s";
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or InvalidOperationException or AggregateException or HttpRequestException)
        {
            return ex.Message.Split('\n')[0];
        }
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Thoras.Functions.Hosting;

namespace Thoras.Cli.LocalHost;

/// <summary>
/// Runs queue-triggered functions against their Storage queues (Azurite locally) the way the Functions host does, with
/// <see cref="Workers"/> listeners per function standing in for instances. Each listener fetches up to
/// <c>batchSize</c> messages, holds them invisible while they run (renewing), fetches more when no more than
/// <c>newBatchThreshold</c> are still running, and polls an empty queue with a growing, randomised pause up to
/// <c>maxPollingInterval</c>. A message whose function succeeds is deleted; one that fails becomes visible again after
/// <c>visibilityTimeout</c>, and after <c>maxDequeueCount</c> deliveries it is moved to <c>&lt;queue&gt;-poison</c>.
/// </summary>
public sealed partial class QueueWorkers(
    FunctionCatalog catalog,
    IServiceProvider services,
    QueueServiceClient queues,
    QueueHostOptions options,
    IConfiguration configuration,
    LocalHostOptions host,
    ILogger<QueueWorkers> logger) : BackgroundService
{
    /// <summary>The first pause after an empty poll, as in the Functions host.</summary>
    private static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Listeners per queue function.</summary>
    public int Workers => Math.Max(1, host.QueueWorkers);

    /// <summary>Resolves every <c>%Setting%</c> in a queue expression from configuration, falling back to <see cref="WorkQueueSettings.Defaults"/>.</summary>
    public static string ResolveQueueName(string expression, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return SettingToken().Replace(expression, match =>
        {
            var setting = match.Groups[1].Value;
            return configuration[setting] ?? (WorkQueueSettings.Defaults.TryGetValue(setting, out var fallback) ? fallback
                : throw new InvalidOperationException($"The queue name setting '{setting}' is not set and has no default."));
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listeners = new List<Task>();
        foreach (var function in catalog.Queues)
        {
            var name = ResolveQueueName(function.Queue, configuration);
            var queue = queues.GetQueueClient(name);
            var poison = queues.GetQueueClient(name + "-poison");
            await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
            await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
            LogListening(function.Name, name, Workers, options.BatchSize, options.NewBatchThreshold, options.MaxDequeueCount);
            for (var worker = 1; worker <= Workers; worker++)
                listeners.Add(ListenAsync(function, queue, poison, stoppingToken));
        }

        await Task.WhenAll(listeners);
    }

    private async Task ListenAsync(QueueFunction function, QueueClient queue, QueueClient poison, CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        var pause = MinimumPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            if (running.Count > options.NewBatchThreshold)
            {
                await Task.WhenAny(running);
                continue;
            }

            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(options.BatchSize, options.HoldVisibility, stoppingToken)).Value;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RequestFailedException e)
            {
                LogPollFailed(e, function.Name, queue.Name);
                messages = [];
            }

            if (messages.Length > 0)
            {
                pause = MinimumPollingInterval;
                running.AddRange(messages.Select(m => ProcessAsync(function, queue, poison, m, stoppingToken)));
                continue;
            }

            try
            {
                await Task.Delay(Randomised(pause), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, options.MaxPollingInterval.Ticks));
        }

        await Task.WhenAll(running);
    }

    private async Task ProcessAsync(QueueFunction function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            if (message.DequeueCount > options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, message, message.PopReceipt, CancellationToken.None);
                return;
            }

            var watch = Stopwatch.StartNew();
            using var hold = new MessageHold(queue, message, options.HoldVisibility);
            try
            {
                await FunctionInvoker.InvokeQueueAsync(services, function, message.Body, stoppingToken);
                var receipt = await hold.ReleaseAsync();
                await queue.DeleteMessageAsync(message.MessageId, receipt, CancellationToken.None);
                LogExecuted(function.Name, message.MessageId, message.DequeueCount, watch.ElapsedMilliseconds);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                var receipt = await hold.ReleaseAsync();
                LogFailed(e, function.Name, message.MessageId, message.DequeueCount, options.MaxDequeueCount, watch.ElapsedMilliseconds);
                if (message.DequeueCount >= options.MaxDequeueCount)
                    await MoveToPoisonAsync(queue, poison, message, receipt, CancellationToken.None);
                else
                    await queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: options.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException)
        {
            // The message stays on the queue and is delivered again once its invisibility ends: nothing is lost.
            LogSettleFailed(e, function.Name, message.MessageId);
        }
    }

    private async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, string receipt, CancellationToken cancellationToken)
    {
        // Copied first, deleted second: a crash in between leaves a copy in both, never in neither.
        await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        await queue.DeleteMessageAsync(message.MessageId, receipt, cancellationToken);
        LogPoisoned(message.MessageId, queue.Name, message.DequeueCount, poison.Name);
    }

    private static TimeSpan Randomised(TimeSpan pause) => pause * (0.8 + (0.4 * Random.Shared.NextDouble()));

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingToken();

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue function {Function} listens on {Queue} with {Workers} worker(s): batch size {BatchSize}, new batch at {NewBatchThreshold}, poison after {MaxDequeueCount} deliveries")]
    private partial void LogListening(string function, string queue, int workers, int batchSize, int newBatchThreshold, int maxDequeueCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Executed queue function {Function} on message {MessageId} (delivery {DequeueCount}) in {ElapsedMs} ms")]
    private partial void LogExecuted(string function, string messageId, long dequeueCount, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue function {Function} failed on message {MessageId} (delivery {DequeueCount} of {MaxDequeueCount}) after {ElapsedMs} ms")]
    private partial void LogFailed(Exception exception, string function, string messageId, long dequeueCount, int maxDequeueCount, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} moved from {Queue} to {PoisonQueue} after {DequeueCount} deliveries")]
    private partial void LogPoisoned(string messageId, string queue, long dequeueCount, string poisonQueue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling {Queue} for {Function} failed; polling again")]
    private partial void LogPollFailed(Exception exception, string function, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settling message {MessageId} of {Function} failed; it is delivered again when its invisibility ends")]
    private partial void LogSettleFailed(Exception exception, string function, string messageId);

    /// <summary>Keeps a message invisible while its function runs, renewing at half its visibility, as the Functions host does.</summary>
    private sealed class MessageHold : IDisposable
    {
        private readonly QueueClient queue;
        private readonly string messageId;
        private readonly TimeSpan visibility;
        private readonly CancellationTokenSource stop = new();
        private readonly Task renewing;
        private string receipt;

        public MessageHold(QueueClient queue, QueueMessage message, TimeSpan visibility)
        {
            this.queue = queue;
            messageId = message.MessageId;
            receipt = message.PopReceipt;
            this.visibility = visibility;
            renewing = RenewAsync();
        }

        /// <summary>Stops renewing and returns the current pop receipt, needed to delete or release the message.</summary>
        public async Task<string> ReleaseAsync()
        {
            await stop.CancelAsync();
            await renewing;
            return receipt;
        }

        public void Dispose() => stop.Dispose();

        private async Task RenewAsync()
        {
            try
            {
                while (true)
                {
                    await Task.Delay(visibility / 2, stop.Token);
                    // Not cancelled midway: a renewal that went through must leave its new receipt here.
                    var updated = await queue.UpdateMessageAsync(messageId, receipt, visibilityTimeout: visibility, cancellationToken: CancellationToken.None);
                    receipt = updated.Value.PopReceipt;
                }
            }
            catch (OperationCanceledException)
            {
                // Released.
            }
            catch (RequestFailedException)
            {
                // The message is gone or was taken over; settling it will say so.
            }
        }
    }
}

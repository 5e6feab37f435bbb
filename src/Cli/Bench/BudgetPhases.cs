using Thoras.Infrastructure.Kubernetes.Connection;

namespace Thoras.Cli.Bench;

/// <summary>
/// The benchmark's Kubernetes request budget, which may differ between the first tick and the steady ticks (an operator
/// raises it for the first pass over a large fleet): each phase is the app's own <see cref="RequestBudgetHandler"/> over
/// the same recorder and connection, and <see cref="Use"/> picks the one later requests go through.
/// </summary>
public sealed class BudgetPhases : DelegatingHandler
{
    private readonly HttpMessageInvoker first;
    private readonly HttpMessageInvoker steady;
    private volatile bool inFirst = true;

    /// <param name="firstBudget">The first tick's budget.</param>
    /// <param name="steadyBudget">The later ticks' budget.</param>
    /// <param name="recorder">Sees every request a budget lets through.</param>
    public BudgetPhases(KubernetesRequestBudget firstBudget, KubernetesRequestBudget steadyBudget, IoRecorder recorder)
    {
        var connection = new SocketsHttpHandler();
        first = new HttpMessageInvoker(new RequestBudgetHandler(firstBudget) { InnerHandler = new RecordingHandler(recorder) { InnerHandler = connection } }, disposeHandler: true);
        steady = new HttpMessageInvoker(new RequestBudgetHandler(steadyBudget) { InnerHandler = new RecordingHandler(recorder) { InnerHandler = connection } }, disposeHandler: false);
    }

    /// <summary>Sends later requests through the first tick's budget (true) or the steady one (false).</summary>
    public void Use(bool firstTick) => inFirst = firstTick;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        (inFirst ? first : steady).SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            steady.Dispose();
            first.Dispose();
        }

        base.Dispose(disposing);
    }
}

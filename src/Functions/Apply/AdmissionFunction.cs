using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Apply;
using Thoras.Functions.Http;
using Thoras.Infrastructure.Kubernetes.Admission;

namespace Thoras.Functions.Apply;

/// <summary>
/// <c>POST /api/admission/pods/{secret}</c>: the mutating admission webhook for pod CREATE (AdmissionReview v1). A pod
/// of an autonomous (vertical), unpaused target gets the latest suggestion as a JSON patch; every other pod is allowed
/// unchanged. Anonymous at the Functions level (Kubernetes cannot send a function key); the path segment is compared
/// with <c>Admission__PathSecret</c> in constant time. It fails open and never answers 500: a review it cannot use,
/// or an error while deciding, allows the pod unchanged with a log line; a body that is not a review at all (or is over
/// <see cref="AdmissionReviews.MaxBytes"/>) is a 4xx, which the API server's <c>failurePolicy: Ignore</c> also
/// turns into admitting the pod unchanged.
/// </summary>
public sealed class AdmissionFunction(PodAdmissionPolicy policy, AdmissionOptions options, ILogger<AdmissionFunction> logger)
{
    /// <summary>Well inside the API server's webhook timeout (the configuration sets 5 s), so the pod is never held up.</summary>
    private static readonly TimeSpan DecisionBudget = TimeSpan.FromSeconds(3);

    [Function("AdmissionPods")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = "admission/pods/{secret}")] HttpRequest request,
        string secret)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestMethods.Require(request, "POST");
        if (!SecretMatches(secret))
            throw new ProblemException(StatusCodes.Status401Unauthorized, "Unauthorized", "The admission webhook path does not carry the configured secret.");

        var cancellationToken = request.HttpContext.RequestAborted;
        byte[] body;
        try
        {
            body = await StrictJsonBody.ReadBytesAsync(request, AdmissionReviews.MaxBytes, cancellationToken);
        }
        catch (ProblemException ex)
        {
            logger.LogWarning("Admission review refused ({Status}): {Problem}; the API server admits the pod unchanged", ex.Status, ex.Message);
            throw;
        }

        var reading = AdmissionReviews.Read(body);
        if (reading.Uid is null)
        {
            logger.LogWarning("Admission review unreadable: {Problem}; the API server admits the pod unchanged", reading.Problem);
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid AdmissionReview", $"The body is not an AdmissionReview: {reading.Problem}.");
        }

        string? patch = null;
        if (reading.Request is null)
        {
            logger.LogWarning("Admission review {Uid} is malformed: {Problem}; the pod is admitted unchanged", reading.Uid, reading.Problem);
        }
        else if (reading.Request.IsPodCreate)
        {
            patch = await PatchForAsync(reading.Request, cancellationToken);
        }

        return new ContentResult { Content = AdmissionReviews.Allow(reading.Uid, patch), ContentType = "application/json", StatusCode = StatusCodes.Status200OK };
    }

    private bool SecretMatches(string? secret)
    {
        if (string.IsNullOrEmpty(options.PathSecret) || string.IsNullOrEmpty(secret))
            return false;
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(secret)), SHA256.HashData(Encoding.UTF8.GetBytes(options.PathSecret)));
    }

    private async Task<string?> PatchForAsync(PodAdmissionRequest pod, CancellationToken cancellationToken)
    {
        try
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            budget.CancelAfter(DecisionBudget);
            var decision = await policy.DecideAsync(pod.Namespace, pod.Labels, pod.Containers, budget.Token);
            logger.LogInformation("Admission of pod {Namespace}/{Pod}: {Decision}", pod.Namespace, pod.PodName, decision.Reason);
            return decision.Containers is null ? null : AdmissionReviews.Patch(pod, decision.Containers);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested || ex is OperationCanceledException)
        {
            logger.LogWarning(ex, "Admission of pod {Namespace}/{Pod} failed; the pod is admitted unchanged", pod.Namespace, pod.PodName);
            return null;
        }
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Thoras.Domain.Audit;
using Thoras.Functions.Http;

namespace Thoras.Functions.Audit;

/// <summary>
/// <c>GET /api/audit</c>: the audit log newest first, one page at a time (<c>limit</c>, <c>continue</c>),
/// filtered by <c>target</c> (<c>namespace/name</c>), <c>uid</c>, <c>actor</c>, <c>action</c> and a
/// <c>since</c>/<c>until</c> range (default: the 31 days before now). Function-key auth.
/// </summary>
public sealed class AuditFunction(IAuditLog audit)
{
    [Function("Audit")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", "head", "options", Route = "audit")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        RequestMethods.Require(request, "GET");
        var query = AuditRequest.Parse(request.Query);
        AuditPage page;
        try
        {
            page = await audit.ReadPageAsync(query, cancellationToken);
        }
        catch (FormatException)
        {
            throw AuditRequest.InvalidToken();
        }
        catch (ArgumentException)
        {
            // The one range the parser cannot check: a since later than now, when until defaults to now.
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid time range", $"since ({query.Since:O}) is later than until (now); nothing can match.");
        }

        var next = page.HasMore ? AuditRequest.Token(page.Records[^1]) : null;
        return new OkObjectResult(new AuditList(page.Records, next));
    }
}

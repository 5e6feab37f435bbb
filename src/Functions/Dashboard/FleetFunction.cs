using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Thoras.Domain.Fleet;
using Thoras.Functions.Http;
using Thoras.Functions.Targets;

namespace Thoras.Functions.Dashboard;

/// <summary>
/// <c>GET /api/fleet</c> and <c>GET /api/fleet/{namespace}/{name}</c>: the dashboard's fleet table, every target (or
/// one) with its workload's requests, the suggestion, conditions, last apply and the priced waste or saving.
/// Function-key auth. Read-only.
/// </summary>
public sealed class FleetFunction(FleetView fleet, DashboardOptions options, Callers callers, TimeProvider time)
{
    [Function("Fleet")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", "head", "options", Route = "fleet")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        RequestMethods.Require(request, "GET");
        var rows = await fleet.ListAsync(cancellationToken);
        var totals = new FleetTotals(
            rows.Count,
            rows.Count(r => r.VerticalMode == "autonomous" || r.HorizontalMode == "autonomous"),
            rows.Sum(r => r.Estimate?.WastePerMonth ?? 0),
            rows.Sum(r => r.Estimate?.SavingPerMonth ?? 0));
        var prices = options.Prices;
        return new OkObjectResult(new FleetResponse(
            options.ClusterName!,
            callers.ActorOf(request, null).Name,
            time.GetUtcNow(),
            new PricesView(prices.CoreHour, prices.GiBHour, prices.Currency, NodePrices.HoursPerMonth),
            totals,
            rows));
    }

    [Function("FleetTarget")]
    public async Task<IActionResult> Target(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", "head", "options", Route = "fleet/{namespace}/{name}")] HttpRequest request,
        string @namespace,
        string name,
        CancellationToken cancellationToken)
    {
        RequestMethods.Require(request, "GET");
        var key = TargetRoute.Key(@namespace, name);
        var row = await fleet.GetAsync(key, cancellationToken)
            ?? throw new ProblemException(StatusCodes.Status404NotFound, "Target not found", $"There is no AIScaleTarget {key.Name} in namespace {key.Namespace}.");
        return new OkObjectResult(row);
    }
}

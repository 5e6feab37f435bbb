using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Thoras.Functions.Hosting;
using Thoras.Functions.Http;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemDetailsMiddleware>();
builder.UseMiddleware<TelemetryMiddleware>();
builder.Services.AddThorasFunctions(builder.Configuration);
if (TelemetryRegistration.Exports(builder.Configuration))
    builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
builder.Build().Run();

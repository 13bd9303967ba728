using System.Text.Json;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hearth.Server.Storage;

/// <summary>
/// Open WebUI's two health routes, with its answer <c>{"status": true}</c> (its container's health check reads
/// that field): <c>/health</c> says the process serves and touches nothing, so a probe polling it costs no
/// database connection; <c>/health/db</c> runs the checks tagged <see cref="DatabaseTag"/> (a cheap query) and
/// answers 503 when the database does not answer.
/// </summary>
internal static class HealthEndpoints
{
    public const string DatabaseTag = "db";

    public static void MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        routes.MapHealthChecks("/health/db", new HealthCheckOptions { Predicate = check => check.Tags.Contains(DatabaseTag), ResponseWriter = WriteAsync })
            .AllowAnonymous();
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        object body = report.Status == HealthStatus.Healthy
            ? new { status = true }
            : new { status = false, detail = ErrorMessages.DatabaseUnavailable };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}

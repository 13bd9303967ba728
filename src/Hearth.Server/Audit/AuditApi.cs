using System.Text.Json.Nodes;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Server.Audit;

/// <summary>A page of audit lines, newest first, each as it is in the file.</summary>
internal sealed record AuditPageResponse(IReadOnlyList<JsonObject> Items, int Page, int Limit, bool HasMore);

/// <summary><c>GET /api/v1/audit/logs</c>: admins read the audit log (this process's and every other's sharing the file).</summary>
internal static class AuditApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/audit/logs", Read).RequireAuthorization(AuthSetup.Admin).WithTags("Audit").WithName("ReadAuditLog").WithSummary("Read the audit log (admins), newest first");
        return routes;
    }

    public static Ok<AuditPageResponse> Read(AuditReader reader, int? page = null, int? limit = null, string? action = null,
        [FromQuery(Name = "user_id")] string? userId = null, string? outcome = null, long? since = null, long? until = null)
    {
        var size = Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);
        var number = Math.Max(page ?? 1, 1);
        var (lines, more) = reader.Page(new AuditQuery(Blank(action), Blank(userId), Blank(outcome), since, until), Paging.Skip(number, size), size);
        return TypedResults.Ok(new AuditPageResponse(lines, number, size, more));
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}

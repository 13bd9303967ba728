using Hearth.Server.Auth;

namespace Hearth.Server.Completions;

/// <summary>One model connection as an admin sees it: where it is (no credentials), and whether it listed its models.</summary>
internal sealed record ConnectionStatus(string Id, string Kind, string Url, bool Ok, int Models, string? Detail);

/// <summary>
/// <c>GET /api/v1/connections/status</c> (Hearth's own, admins): the model connections set by
/// <c>OPENAI_API_BASE_URLS</c>/<c>OLLAMA_BASE_URLS</c> with what their last model listing found, from
/// <see cref="ModelCatalog"/> (so at most a few seconds old). Keys never leave the server.
/// </summary>
internal static class ConnectionsApi
{
    public static void MapConnections(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/v1/connections/status", Status).RequireAuthorization(AuthSetup.Admin).WithTags("Completions")
            .WithName("ConnectionStatus").WithSummary("Model connections and their state (admins)");

    public static async Task<IResult> Status(ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var list = await catalog.ListAsync(cancellationToken);
        return TypedResults.Ok(catalog.Connections.Select(c =>
        {
            var error = list.Errors.FirstOrDefault(e => e.Connection == c.Id);
            return new ConnectionStatus(c.Id, c.Kind == ConnectionKind.Ollama ? "ollama" : "openai", Address(c.BaseUrl), error is null,
                list.Data.Count(m => m.Connection == c.Id), error?.Detail);
        }).ToList());
    }

    /// <summary>Scheme, host, port and path: user info and query, where a key could sit, are left out.</summary>
    private static string Address(Uri url) =>
        url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
}

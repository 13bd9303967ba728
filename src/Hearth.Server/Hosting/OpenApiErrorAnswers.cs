using Hearth.Server.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hearth.Server.Hosting;

/// <summary>
/// The error answers an operation can give, added to its OpenAPI description: handlers answer errors through one
/// <c>JsonHttpResult&lt;ErrorBody&gt;</c> type, which carries no status, so the statuses are read from what the route
/// takes instead, by the rules every route keeps (AGENTS.md): a route needing a user answers 403 without credentials
/// and 401 for credentials that are not valid or an account that may not (and, on the chats API, as Open WebUI does,
/// for a chat it will not show), a route reading a body or query answers 422
/// when it does not validate (and 413 for a body over the limit), and any route may answer 500. What only some routes
/// answer (404, 403, 409) is declared by the route with <c>Produces&lt;ErrorBody&gt;(status)</c> and kept; a path
/// parameter alone does not say which of 401 or 404 an unknown id gets, so nothing is guessed from it.
/// </summary>
internal static class OpenApiErrorAnswers
{
    public static async Task AddAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var sources = description.ParameterDescriptions.Select(p => p.Source).ToList();
        var error = await context.GetOrCreateSchemaAsync(typeof(ErrorBody), null, cancellationToken);
        var validation = await context.GetOrCreateSchemaAsync(typeof(ValidationErrorBody), null, cancellationToken);
        operation.Responses ??= [];
        void Add(int status, string text, IOpenApiSchema schema)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!operation.Responses.ContainsKey(key))
            {
                operation.Responses[key] = new OpenApiResponse
                {
                    Description = text,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                };
            }
        }
        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            Add(StatusCodes.Status401Unauthorized, "The token is not valid, or the account may not do this (on the chats API also: no such chat the caller may see).", error);
            Add(StatusCodes.Status403Forbidden, "No credentials were sent (\"Not authenticated\", FastAPI's answer, as Open WebUI gives it).", error);
        }
        var readsBody = sources.Contains(BindingSource.Body) || sources.Contains(BindingSource.Form) || sources.Contains(BindingSource.FormFile);
        if (readsBody)
        {
            Add(StatusCodes.Status413PayloadTooLarge, "The body is over the limit (MAX_REQUEST_BODY_SIZE, or the route's own).", error);
        }
        if (readsBody || sources.Contains(BindingSource.Query))
        {
            Add(StatusCodes.Status422UnprocessableEntity, "The request does not validate: each issue names its location, FastAPI's shape.", validation);
        }
        Add(StatusCodes.Status500InternalServerError, "An unexpected error, logged with the request's id.", error);
    }
}

using Hearth.Server.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hearth.Server.Hosting;

/// <summary>
/// The error answers an operation can give by the rules every route keeps (AGENTS.md), added to its OpenAPI
/// description: a route needing a user answers 403 without credentials and 401 for credentials that are not valid or
/// an account that may not (and, on the chats API, as Open WebUI does, for a chat it will not show); a route reading a
/// body answers 413 over the limit, 415 for a body that is not JSON (or a form, where it takes one) and 422 when the
/// body does not validate; every route answers 422 for a query value it cannot read or one holding NUL (checked for
/// all), 414 and 431 for a request line or headers over the limits, and 500 for what nobody expected. What only some
/// routes answer (404, 409, 412, 429, 502…) each route declares with <c>Common/ErrorAnswers.Answers</c>. The tests hold
/// the document to every answer they get (<c>tests/…/Infrastructure/DocumentedAnswers</c>).
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
            Add(StatusCodes.Status415UnsupportedMediaType, "The body is not of the type the route reads.", error);
        }
        Add(StatusCodes.Status422UnprocessableEntity, "The request does not validate (a query value holding NUL, on every route): each issue names its location, FastAPI's shape.", validation);
        Add(StatusCodes.Status414UriTooLong, "The request's path and query are over 8 KiB.", error);
        Add(StatusCodes.Status431RequestHeaderFieldsTooLarge, "The request's headers are over 32 KiB.", error);
        Add(StatusCodes.Status500InternalServerError, "An unexpected error, logged with the request's id.", error);
    }
}

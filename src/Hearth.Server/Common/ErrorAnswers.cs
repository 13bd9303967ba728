using Microsoft.AspNetCore.Http.Metadata;

namespace Hearth.Server.Common;

/// <summary>
/// The error statuses a route gives beyond those every route of its kind gives (Hosting/OpenApiErrorAnswers adds
/// those): <c>.Answers(404, 409)</c> on a route or a group puts them in the OpenAPI document. Handlers answer
/// errors through one <c>JsonHttpResult&lt;ErrorBody&gt;</c>, which carries no status, so each route says its own;
/// the tests hold the document to every answer they get (tests/…/Infrastructure/DocumentedAnswers).
/// </summary>
internal static class ErrorAnswers
{
    /// <summary>Error answers with the usual body: <c>{"detail": "..."}</c>, or FastAPI's list for a 422.</summary>
    public static TBuilder Answers<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ErrorAnswer(status, status == StatusCodes.Status422UnprocessableEntity ? typeof(ValidationErrorBody) : typeof(ErrorBody)));
        }
        return builder;
    }

    /// <summary>Error answers whose body is a route's own (the key-value store's refusals carry the current value).</summary>
    public static RouteHandlerBuilder Answers<TBody>(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ErrorAnswer(status, typeof(TBody)));
        }
        return builder;
    }

    private sealed class ErrorAnswer(int status, Type body) : IProducesResponseTypeMetadata
    {
        public Type? Type { get; } = body;
        public int StatusCode { get; } = status;
        public string? Description => null;
        public IEnumerable<string> ContentTypes { get; } = ["application/json"];
    }
}

using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Common;

/// <summary>The one error body every route answers: <c>{"detail": "..."}</c>.</summary>
internal sealed record ErrorBody(string Detail);

/// <summary>One entry of FastAPI's 422 list, so Open WebUI clients parse our validation errors as theirs.</summary>
internal sealed record ValidationIssue(string Type, IReadOnlyList<object> Loc, string Msg, object? Input);

internal sealed record ValidationErrorBody(IReadOnlyList<ValidationIssue> Detail);

internal static class Errors
{
    public static JsonHttpResult<ErrorBody> Status(int status, string detail) =>
        TypedResults.Json(new ErrorBody(detail), statusCode: status);

    public static JsonHttpResult<ErrorBody> BadRequest(string detail) => Status(StatusCodes.Status400BadRequest, detail);
    public static JsonHttpResult<ErrorBody> Unauthorized(string detail) => Status(StatusCodes.Status401Unauthorized, detail);
    public static JsonHttpResult<ErrorBody> Forbidden(string detail) => Status(StatusCodes.Status403Forbidden, detail);
    public static JsonHttpResult<ErrorBody> NotFound(string detail = ErrorMessages.NotFound) =>
        Status(StatusCodes.Status404NotFound, detail);

    public static JsonHttpResult<ValidationErrorBody> Invalid(string field, string message, object? input, string type = "value_error") =>
        TypedResults.Json(
            new ValidationErrorBody([new ValidationIssue(type, ["body", field], message, input)]),
            statusCode: StatusCodes.Status422UnprocessableEntity);

    /// <summary>A FastAPI-shaped 422 for a query parameter (<c>loc: ["query", name]</c>).</summary>
    public static JsonHttpResult<ValidationErrorBody> InvalidQuery(string field, string message, object? input, string type = "value_error") =>
        TypedResults.Json(
            new ValidationErrorBody([new ValidationIssue(type, ["query", field], message, input)]),
            statusCode: StatusCodes.Status422UnprocessableEntity);
}

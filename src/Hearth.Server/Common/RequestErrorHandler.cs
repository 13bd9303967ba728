using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Hearth.Server.Common;

/// <summary>
/// Turns request-binding failures (bad JSON, wrong types, missing fields, oversized bodies, unparsable query
/// values) into FastAPI-shaped answers, and any other exception into a logged 500 without internals.
/// </summary>
internal sealed partial class RequestErrorHandler(ILogger<RequestErrorHandler> logger, Microsoft.Extensions.Options.IOptions<Hosting.ServerOptions> server)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            return false;
        }
        var (status, body) = exception switch
        {
            BadHttpRequestException bad => Describe(bad),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested =>
                (499, (object)new ErrorBody(ErrorMessages.ClientClosedRequest)),
            _ => (500, new ErrorBody(ErrorMessages.Default)),
        };
        if (status == 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path} (request {RequestId})",
                context.Request.Method, context.Request.Path, context.TraceIdentifier);
        }
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(body, JsonSettings.Wire, cancellationToken);
        return true;
    }

    private (int, object) Describe(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (413, new ErrorBody(ErrorMessages.BodyTooLarge(server.Value.MaxRequestBodySize)));
        }
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return (415, new ErrorBody(ErrorMessages.UnsupportedMediaType));
        }
        if (bad.InnerException is JsonException json)
        {
            return (422, new ValidationErrorBody([DescribeJson(json)]));
        }
        var message = bad.Message;
        if (BindFailure().Match(message) is { Success: true } bind)
        {
            var (type, text) = ParsingIssue(bind.Groups["type"].Value);
            return (422, new ValidationErrorBody([new ValidationIssue(type, ["query", bind.Groups["name"].Value], text, bind.Groups["value"].Value)]));
        }
        if (MissingParameter().Match(message) is { Success: true } missing)
        {
            return (422, new ValidationErrorBody([new ValidationIssue("missing",
                [missing.Groups["source"].Value.Contains("query", StringComparison.Ordinal) ? "query" : "header", missing.Groups["name"].Value],
                ErrorMessages.Missing, null)]));
        }
        if (message.Contains("no body was provided", StringComparison.Ordinal))
        {
            return (422, new ValidationErrorBody([new ValidationIssue("missing", ["body"], ErrorMessages.Missing, null)]));
        }
        return (bad.StatusCode, new ErrorBody(message));
    }

    /// <summary>
    /// Pydantic's type and words for a query value that does not parse as the parameter's type (<c>int?</c> reads
    /// <c>Nullable&lt;int&gt;</c>). Numbers and flags are refused before binding by <see cref="QueryValueCheck"/>; this
    /// is for whatever else a binder refuses.
    /// </summary>
    private static (string Type, string Text) ParsingIssue(string parameterType) =>
        parameterType.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>', '?') switch
        {
            "int" or "long" or "short" => QueryValueCheck.Issue(typeof(int)),
            "bool" => QueryValueCheck.Issue(typeof(bool)),
            "double" or "float" or "decimal" => QueryValueCheck.Issue(typeof(double)),
            var other => ("value_error", ErrorMessages.ShouldBeValid(other)),
        };

    private static ValidationIssue DescribeJson(JsonException json)
    {
        var loc = new List<object> { "body" };
        loc.AddRange(PathSegments(json.Path));
        var message = json.Message;
        if (MissingProperty().Match(message) is { Success: true } missing)
        {
            loc.Add(missing.Groups["name"].Value);
            return new ValidationIssue("missing", loc, ErrorMessages.Missing, null);
        }
        if (JsonUnicode.IsNotUnicode(json))
        {
            return JsonUnicode.Issue(loc);
        }
        if (JsonUnicode.IsNul(json))
        {
            return JsonUnicode.NulIssue(loc);
        }
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) ||
            message.Contains("allow null", StringComparison.OrdinalIgnoreCase))
        {
            return new ValidationIssue("type_error", loc, ErrorMessages.WrongType, null);
        }
        return new ValidationIssue("json_invalid", loc, ErrorMessages.JsonInvalid, null);
    }

    private static IEnumerable<object> PathSegments(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            yield break;
        }
        foreach (Match segment in PathSegment().Matches(path))
        {
            if (segment.Groups["index"].Success)
            {
                yield return int.Parse(segment.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                yield return segment.Groups["name"].Value;
            }
        }
    }

    [GeneratedRegex("""Failed to bind parameter "(?<type>\S+) (?<name>\w+)" from "(?<value>.*)"\.""")]
    private static partial Regex BindFailure();

    [GeneratedRegex("""Required parameter "\S+ (?<name>\w+)" was not provided from (?<source>[\w ]+)\.""")]
    private static partial Regex MissingParameter();

    [GeneratedRegex("""missing required properties including: '(?<name>[^']+)'""")]
    private static partial Regex MissingProperty();

    [GeneratedRegex("""\.(?<name>\w+)|\['(?<name>[^']+)'\]|\[(?<index>\d+)\]""")]
    private static partial Regex PathSegment();
}

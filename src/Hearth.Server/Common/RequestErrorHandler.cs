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
                (499, (object)new ErrorBody("Client closed the request.")),
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
            var type = bind.Groups["type"].Value.Contains("int", StringComparison.Ordinal) ? "int_parsing" : "value_error";
            return (422, new ValidationErrorBody([new ValidationIssue(type, ["query", bind.Groups["name"].Value],
                $"Input should be a valid {bind.Groups["type"].Value.TrimEnd('?')}", bind.Groups["value"].Value)]));
        }
        if (MissingParameter().Match(message) is { Success: true } missing)
        {
            return (422, new ValidationErrorBody([new ValidationIssue("missing",
                [missing.Groups["source"].Value.StartsWith("query", StringComparison.Ordinal) ? "query" : "header", missing.Groups["name"].Value],
                "Field required", null)]));
        }
        if (message.Contains("no body was provided", StringComparison.Ordinal))
        {
            return (422, new ValidationErrorBody([new ValidationIssue("missing", ["body"], "Field required", null)]));
        }
        return (bad.StatusCode, new ErrorBody(message));
    }

    private static ValidationIssue DescribeJson(JsonException json)
    {
        var loc = new List<object> { "body" };
        loc.AddRange(PathSegments(json.Path));
        var message = json.Message;
        if (MissingProperty().Match(message) is { Success: true } missing)
        {
            loc.Add(missing.Groups["name"].Value);
            return new ValidationIssue("missing", loc, "Field required", null);
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
            return new ValidationIssue("type_error", loc, "Input has the wrong type for this field", null);
        }
        return new ValidationIssue("json_invalid", loc, "JSON decode error: the body is not valid JSON", null);
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

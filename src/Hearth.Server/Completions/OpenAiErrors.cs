using System.Text.Json.Nodes;
using Hearth.Server.Common;

namespace Hearth.Server.Completions;

/// <summary>
/// OpenAI's error object, <c>{"message", "type", "param", "code"}</c>, which the OpenAI SDKs (and the libraries built
/// on them) read from an error body's <c>error</c> member and from a stream's <c>data:</c> event. Hearth's own
/// <c>detail</c> stays beside it, so Open WebUI clients read the same answers as before.
/// </summary>
internal static class OpenAiErrors
{
    /// <summary>The resources an OpenAI SDK asks for below its base URL (<c>/api</c> or <c>/api/v1</c>).</summary>
    private static readonly string[] Resources = ["chat", "completions", "models", "embeddings", "responses", "moderations", "images", "audio"];

    /// <summary>Whether a path is one an OpenAI client calls, whether Hearth serves it or not (a 404 there is read by an SDK too).</summary>
    public static bool Applies(PathString path)
    {
        if (!path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase, out var rest))
        {
            return false;
        }
        if (rest.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase, out var afterVersion))
        {
            rest = afterVersion;
        }
        var first = rest.Value?.TrimStart('/').Split('/', 2)[0] ?? "";
        return Resources.Contains(first, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The error object for an answer with this status and message (<paramref name="param"/>: the field at fault, if one is).</summary>
    public static JsonObject Error(int status, string message, string? param = null) => new()
    {
        ["message"] = message,
        ["type"] = Type(status),
        ["param"] = param,
        ["code"] = Code(status, message),
    };

    /// <summary>An event for a stream that fails after it began: the SDKs throw what its <c>error</c> holds.</summary>
    public static string StreamEvent(int status, string message) =>
        new JsonObject { ["detail"] = message, ["error"] = Error(status, message) }.ToJsonString(JsonSettings.Wire);

    /// <summary>
    /// Adds <c>error</c> to a Hearth error body: <c>detail</c> as the message, or for a FastAPI 422 list its issues
    /// joined (<c>body.model: Field required</c>) with the first issue's field as <c>param</c>. Null when there is nothing to add.
    /// </summary>
    public static JsonObject? WithError(JsonNode? body, int status)
    {
        if (body is not JsonObject answer || answer.ContainsKey("error"))
        {
            return null;
        }
        var (message, param) = answer["detail"] switch
        {
            JsonValue detail when detail.TryGetValue<string>(out var text) => (text, null),
            JsonArray issues => (string.Join("; ", issues.Select(Describe)), Field(issues.FirstOrDefault())),
            _ => (ReasonPhrase(status), (string?)null),
        };
        answer["error"] = Error(status, message, param);
        return answer;
    }

    private static string Describe(JsonNode? issue)
    {
        var location = issue?["loc"] is JsonArray loc ? string.Join('.', loc.Select(part => part?.ToString())) : null;
        var text = issue?["msg"]?.ToString() ?? "Invalid input";
        return location is { Length: > 0 } ? $"{location}: {text}" : text;
    }

    /// <summary>The field an issue is about: the last element of its location that names one, past <c>body</c>/<c>query</c>.</summary>
    private static string? Field(JsonNode? issue) =>
        issue?["loc"] is JsonArray { Count: > 1 } loc ? loc.Skip(1).Select(part => part?.ToString()).LastOrDefault(p => p is { Length: > 0 } && !char.IsDigit(p[0])) : null;

    /// <summary>OpenAI's <c>type</c> names: what kind of failure, whoever answers it.</summary>
    private static string Type(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    /// <summary>A stable code a program can branch on: <c>model_not_found</c>, else the status's name (<c>bad_gateway</c>).</summary>
    private static string Code(int status, string message) =>
        message == ErrorMessages.ModelNotFound ? "model_not_found" : ReasonPhrase(status).ToLowerInvariant().Replace(' ', '_').Replace("-", "_", StringComparison.Ordinal);

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : $"HTTP {status}";
}

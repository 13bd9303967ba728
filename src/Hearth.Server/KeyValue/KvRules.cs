using System.Buffers;
using System.Text;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.KeyValue;

/// <summary>
/// The contract's input rules as FastAPI-shaped 422 issues. <c>at</c> is where the fields sit, e.g.
/// <c>["query"]</c>, <c>["body"]</c> or <c>["body", "operations", 2]</c>.
/// </summary>
internal static class KvRules
{
    /// <summary>1 to 200 characters (Unicode code points), none of them whitespace, a control character, a quote or a backslash.</summary>
    public static bool IsValidKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }
        var characters = 0;
        var rest = key.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done
                || Rune.IsWhiteSpace(rune) || Rune.IsControl(rune) || rune.Value is '"' or '\'' or '\\'
                || ++characters > KvOptions.MaxKeyLength)
            {
                return false;
            }
            rest = rest[consumed..];
        }
        return true;
    }

    /// <summary>A query flag as pydantic reads one: true/false, 1/0, yes/no, on/off; null when it is none of these.</summary>
    public static bool? ParseFlag(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => null,
    };

    public static IEnumerable<ValidationIssue> CheckAddress(string scope, string key, params object[] at)
    {
        if (!KvScopes.IsValid(scope))
        {
            yield return new ValidationIssue("literal_error", [.. at, "scope"], ErrorMessages.ArtifactScopeInvalid, scope);
        }
        if (!IsValidKey(key))
        {
            yield return new ValidationIssue("value_error", [.. at, "key"], ErrorMessages.ArtifactKeyInvalid, key);
        }
    }

    public static IEnumerable<ValidationIssue> CheckScope(string scope, params object[] at) =>
        KvScopes.IsValid(scope)
            ? []
            : [new ValidationIssue("literal_error", [.. at, "scope"], ErrorMessages.ArtifactScopeInvalid, scope)];

    public static IEnumerable<ValidationIssue> CheckValue(RawJson? value, params object[] at) =>
        value is null ? [new ValidationIssue("value_error", [.. at, "value"], ErrorMessages.ArtifactValueNull, null)] : [];

    public static IEnumerable<ValidationIssue> CheckExpectedVersion(long? expected, params object[] at) =>
        expected is < 0
            ? [new ValidationIssue("greater_than_equal", [.. at, "expected_version"], ErrorMessages.ArtifactVersionNegative, expected)]
            : [];

    public static JsonHttpResult<ValidationErrorBody> Invalid(IReadOnlyList<ValidationIssue> issues) =>
        TypedResults.Json(new ValidationErrorBody(issues), statusCode: StatusCodes.Status422UnprocessableEntity);
}

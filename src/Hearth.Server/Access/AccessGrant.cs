using System.Text.Json.Nodes;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Access;

/// <summary>
/// One access grant, as Open WebUI 0.11 writes them: a user (by id, or <c>*</c> for every user) or a group may
/// read or write a resource.
/// </summary>
internal sealed record AccessGrant(string PrincipalType, string PrincipalId, string Permission)
{
    public const string User = "user";
    public const string Group = "group";
    public const string Everyone = "*";
    public const string Read = "read";
    public const string Write = "write";

    public bool IsPublic => PrincipalType == User && PrincipalId == Everyone;

    /// <summary>
    /// Reads a posted <c>access_grants</c> list. Each entry needs <c>principal_type</c> user or group, a
    /// <c>principal_id</c> (<c>*</c> only for users) and <c>permission</c> read or write; a repeated entry counts once.
    /// </summary>
    /// <returns>The grants, or a FastAPI-shaped 422 naming the first bad field.</returns>
    public static (IReadOnlyList<AccessGrant>? Grants, JsonHttpResult<ValidationErrorBody>? Problem) Parse(JsonNode? node, string field = "access_grants")
    {
        if (node is not JsonArray array)
        {
            return (null, Invalid([field], "Input should be a valid list", "list_type"));
        }
        var grants = new List<AccessGrant>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject entry)
            {
                return (null, Invalid([field, i], "Input should be a valid dictionary", "dict_type"));
            }
            var type = Text(entry["principal_type"]);
            var id = Text(entry["principal_id"]);
            var permission = Text(entry["permission"]);
            if (type is not (User or Group))
            {
                return (null, Invalid([field, i, "principal_type"], "Input should be 'user' or 'group'", "literal_error"));
            }
            if (id is not { Length: > 0 } || (id == Everyone && type != User))
            {
                return (null, Invalid([field, i, "principal_id"], "Value error, principal_id must be a user or group id, or * for every user", "value_error"));
            }
            if (permission is not (Read or Write))
            {
                return (null, Invalid([field, i, "permission"], "Input should be 'read' or 'write'", "literal_error"));
            }
            grants.Add(new AccessGrant(type, id, permission));
        }
        return (grants.Distinct().ToList(), null);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static JsonHttpResult<ValidationErrorBody> Invalid(object[] loc, string message, string type) =>
        TypedResults.Json(new ValidationErrorBody([new ValidationIssue(type, ["body", .. loc], message, null)]),
            statusCode: StatusCodes.Status422UnprocessableEntity);
}

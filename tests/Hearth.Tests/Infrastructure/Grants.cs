using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// Access grants as clients send them (Open WebUI 0.11's <c>{"access_grants": [...]}</c>), and replacing a chat's or
/// a folder's grants as its owner would: the step the share dialog and the folder menu take.
/// </summary>
internal static class Grants
{
    /// <summary>The body of an <c>access/update</c> route: each grant as (principal type, principal id, permission).</summary>
    public static object Form(params (string Type, string Id, string Permission)[] grants) =>
        new { access_grants = grants.Select(g => new { principal_type = g.Type, principal_id = g.Id, permission = g.Permission }) };

    /// <summary>Replaces the chat's grants (keyed by the chat's id, or its share's), expecting 200.</summary>
    public static Task<JsonObject> ChatAsync(TestUser owner, string chatId, params (string Type, string Id, string Permission)[] grants) =>
        ReplaceAsync(owner, $"/api/v1/chats/shared/{chatId}/access/update", grants);

    /// <summary>Replaces the folder's grants (they reach its subfolders and their chats), expecting 200.</summary>
    public static Task<JsonObject> FolderAsync(TestUser owner, string folderId, params (string Type, string Id, string Permission)[] grants) =>
        ReplaceAsync(owner, $"/api/v1/folders/{folderId}/access/update", grants);

    private static async Task<JsonObject> ReplaceAsync(TestUser owner, string path, (string Type, string Id, string Permission)[] grants) =>
        await Json.ReadObjectAsync(await owner.Client.PostAsJsonAsync(path, Form(grants)), 200);
}

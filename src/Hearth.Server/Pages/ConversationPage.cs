using System.Text;
using System.Text.Json.Nodes;
using Hearth.Server.Chats;
using Hearth.Server.Files;

namespace Hearth.Server.Pages;

/// <summary><c>/c/{conversation_id}</c>: the current branch of a conversation, each message with its artifacts as attachments.</summary>
internal static class ConversationPage
{
    public static async Task<IResult> Show(string conversationId, HttpContext http, ArtifactAccess access, ChatStore chats,
        ArtifactFileStore store, CancellationToken cancellationToken)
    {
        var (user, refusal) = PageAuth.Check(http);
        if (refusal is not null)
        {
            return refusal;
        }
        if (await access.ResolveAsync(conversationId, user, write: false, cancellationToken) is not { } grant)
        {
            return PageLayout.Message(http, user, StatusCodes.Status404NotFound, "Conversation not found",
                "We could not find what you're looking for :/");
        }
        var chat = await chats.ReadAsync(grant.Chat, cancellationToken);
        var messages = chat.Chat.Content.Messages.ToDictionary(m => m.Id, m => JsonNode.Parse(m.Body) as JsonObject ?? new JsonObject());
        var branch = MessageTree.Branch(messages, chat.Chat.CurrentId, m => MessageTree.String(m["parentId"]));
        var artifacts = await store.OfConversationAsync(grant.Chat.Id, grant.VisibleUntil, cancellationToken);
        var byMessage = artifacts.Where(a => a.MessageId is not null).ToLookup(a => a.MessageId!);
        var shown = new HashSet<string>();

        var body = new StringBuilder($"""
            <section class="conversation">
              <header class="conversation-head"><h1>{Html.E(grant.Chat.Title)}</h1>
                <a class="link" href="/artifacts">All artifacts</a></header>
              <ol class="messages">
            """);
        foreach (var message in branch)
        {
            var id = MessageTree.String(message["id"]) ?? "";
            var role = MessageTree.String(message["role"]) ?? "assistant";
            var attached = byMessage[id].ToList();
            shown.UnionWith(attached.Select(a => a.Id));
            body.Append($"""
                <li class="message role-{Html.E(role)}" id="m-{Html.E(id)}">
                  <div class="role">{Html.E(role == "user" ? "You" : MessageTree.String(message["model"]) ?? "Assistant")}</div>
                  <div class="content markdown">{SafeMarkdown.ToHtml(Text(message["content"]))}</div>
                  {Attachments(attached, grant.ViaId)}
                </li>
                """);
        }
        body.Append("</ol>");
        var loose = artifacts.Where(a => !shown.Contains(a.Id)).ToList();
        if (loose.Count > 0)
        {
            body.Append("<h2 class=\"loose-title\">Files in this conversation</h2>").Append(Attachments(loose, grant.ViaId));
        }
        body.Append("</section>");
        return PageLayout.Page(http, grant.Chat.Title, body.ToString(), user, signOut: true);
    }

    private static string Text(JsonNode? content) => content switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        JsonArray items => string.Join("\n\n", items.OfType<JsonObject>().Select(i => MessageTree.String(i["text"])).Where(t => t is not null)),
        _ => "",
    };

    private static string Attachments(IReadOnlyList<ArtifactFileRow> rows, string viaId)
    {
        if (rows.Count == 0)
        {
            return "";
        }
        var html = new StringBuilder("<ul class=\"attachments\">");
        foreach (var row in rows)
        {
            var url = ArtifactLinks.Path(viaId, row.Id);
            var thumb = row.Kind == FileKinds.Images
                ? $"""<img src="{Html.E(url)}?inline=true" alt="" loading="lazy">"""
                : $"""<span class="badge">{Html.E(FileKinds.Extension(row.Name).TrimStart('.').ToUpperInvariant() is { Length: > 0 and <= 5 } e ? e : "FILE")}</span>""";
            html.Append($"""
                <li class="attachment kind-{row.Kind}"><a href="{Html.E(url)}" download="{Html.E(row.Name)}" data-id="{Html.E(row.Id)}">
                  {thumb}<span class="attachment-name">{Html.E(row.Name)}</span><span class="attachment-size">{Html.Size(row.Size)}</span></a></li>
                """);
        }
        return html.Append("</ul>").ToString();
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Server.Chats;

/// <summary>Routes Hearth adds around the seed's forms: rename, a page of whole chats, a Markdown transcript.</summary>
internal static class ChatExtraHandlers
{
    public const int MaxPageSize = 100;

    /// <summary>POST /{id}/title: sets the title in the row and in the document, as title generation does upstream.</summary>
    public static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> Rename(string id, ChatTitleForm form, CurrentUser caller,
        ChatStore chats, CancellationToken cancellationToken)
    {
        var title = form.Title.Replace("\0", "");
        return await chats.ReplaceAsync(id, caller.Id, new JsonObject { ["title"] = title }, cancellationToken) is { } row
            ? TypedResults.Ok(await chats.ReadAsync(row, cancellationToken))
            : Errors.Unauthorized(ErrorMessages.NotFound);
    }

    /// <summary>GET /page: whole chats of the caller (archived included), newest first, with the total.</summary>
    public static async Task<Ok<ChatListResponse>> Page(CurrentUser caller, ChatQueries queries, ChatStore chats,
        CancellationToken cancellationToken, int? page = null, [FromQuery(Name = "items_per_page")] int? itemsPerPage = null)
    {
        var size = Math.Clamp(itemsPerPage ?? 20, 1, MaxPageSize);
        var filter = new ChatFilter(caller.Id);
        var rows = await queries.RowsAsync(filter, ChatOrder.Recent, Paging.Skip(page, size), size, cancellationToken);
        var items = new List<ChatResponse>();
        foreach (var row in rows)
        {
            items.Add(await chats.ReadAsync(row, cancellationToken));
        }
        return TypedResults.Ok(new ChatListResponse(items, await queries.CountAsync(filter, cancellationToken)));
    }

    /// <summary>POST /api/v1/utils/markdown: a Markdown transcript of a title and its messages.</summary>
    public static ContentHttpResult Transcript(ChatTitleMessagesForm form) =>
        TypedResults.Text(Transfer.ChatMarkdown.Write(form.Title, form.Messages), "text/markdown; charset=utf-8");

    /// <summary>GET /{id}/markdown: the chat's current branch as a Markdown file to download (for whoever may read the chat).</summary>
    public static async Task<Results<FileContentHttpResult, JsonHttpResult<ErrorBody>>> Markdown(string id, CurrentUser caller,
        ChatGrants grants, ChatStore chats, CancellationToken cancellationToken)
    {
        if (await grants.ReadableAsync(id, caller, cancellationToken) is null || await chats.ReadAsync(id, cancellationToken) is not { } chat)
        {
            return Errors.Unauthorized(ErrorMessages.NotFound);
        }
        var text = Transfer.ChatMarkdown.Write(chat.Title, Transfer.ChatMarkdown.CurrentBranch(chat));
        return TypedResults.File(Encoding.UTF8.GetBytes(text), "text/markdown; charset=utf-8", Transfer.MarkdownExporter.FileName(chat) + ".md");
    }
}

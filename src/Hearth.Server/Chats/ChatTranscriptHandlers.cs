using System.Text;
using System.Text.Json.Nodes;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Server.Chats;

/// <summary>Markdown transcripts: of a chat the caller may read, and of a title and messages sent in the request.</summary>
internal static class ChatTranscriptHandlers
{
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

using Hearth.Server.Audit;
using Hearth.Server.Common;

namespace Hearth.Server.Chats;

/// <summary>
/// <c>/api/v1/chats</c>, wire-compatible with Open WebUI's chats router (chats-api.md). Literal routes win
/// over <c>/{id}</c> by ASP.NET's route precedence, as FastAPI's declaration order does upstream.
/// </summary>
internal static class ChatsApi
{
    public static RouteGroupBuilder MapChats(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/chats").WithTags("Chats").RequireAuthorization();

        group.MapGet("/", ChatListHandlers.List).WithName("ListChats").WithSummary("List the caller's chats, newest first, paged");
        group.MapGet("/list", ChatListHandlers.List).WithName("ListChatsAlias").WithSummary("List the caller's chats (alias of GET /api/v1/chats)");
        group.MapDelete("/", ChatItemHandlers.DeleteAll).WithName("DeleteAllChats").WithSummary("Delete all the caller's chats");
        group.MapGet("/list/user/{userId}", ChatListHandlers.ListOfUser).RequireAuthorization(Auth.AuthSetup.Admin).WithName("ListChatsOfUser").WithSummary("List another user's chats (admins)")
            .Audited("chat.admin.list", (call, record) => record with { Target = new AuditTarget("user", call.Route("userId")) });
        group.MapPost("/new", ChatItemHandlers.Create).WithName("CreateChat").WithSummary("Create a chat").Answers(404);
        group.MapPost("/import", ChatItemHandlers.Import).WithName("ImportChats").WithSummary("Import chats in Open WebUI's shape").Answers(404);
        group.MapPost("/import/file", Transfer.ImportUploadHandlers.Import).WithName("ImportChatExportFile").WithSummary("Import a ChatGPT, Claude or Open WebUI export file").Answers(400, 413, 415, 422);
        group.MapGet("/search", ChatListHandlers.Search).WithName("SearchChats").WithSummary("Search the caller's chats (tag:, folder:, pinned:, archived:)");
        group.MapGet("/folder/{folderId}", ChatListHandlers.InFolderTree).WithName("ChatsInFolderTree").WithSummary("Whole chats of a folder and its subfolders");
        group.MapGet("/folder/{folderId}/list", ChatListHandlers.InFolderPage).WithName("ChatsInFolder").WithSummary("A page of a folder's own chats").Answers(400);
        group.MapGet("/pinned", ChatListHandlers.Pinned).WithName("PinnedChats").WithSummary("The caller's pinned chats");
        group.MapGet("/all", ChatExportHandlers.All).WithName("AllChats").WithSummary("Export all the caller's chats (NDJSON, or JSON with ?format=json)");
        group.MapGet("/all/archived", ChatExportHandlers.AllArchived).WithName("AllArchivedChats").WithSummary("Export all the caller's archived chats");
        group.MapGet("/all/tags", ChatTagHandlers.All).WithName("AllTags").WithSummary("All tags of the caller's chats");
        group.MapGet("/all/db", ChatExportHandlers.AllInDatabase).RequireAuthorization(Auth.AuthSetup.Admin).WithName("AllChatsInDatabase").WithSummary("Export every chat of every user (admins, ENABLE_ADMIN_EXPORT)")
            .Audited("chat.admin.export", (call, record) => record with { Response = null });
        group.MapGet("/archived", ChatListHandlers.Archived).WithName("ArchivedChats").WithSummary("List the caller's archived chats, paged").Answers(400);
        group.MapGet("/archived/count", ChatReadHandlers.ArchivedCount).WithName("ArchivedChatCount").WithSummary("How many chats the caller has archived");
        group.MapPost("/read", ChatReadHandlers.ReadAll).WithName("ReadAllChats").WithSummary("Mark all the caller's chats read");
        group.MapPost("/archive/all", (Auth.CurrentUser caller, ChatStore chats, CancellationToken ct) => SetArchived(caller, chats, true, ct)).WithName("ArchiveAllChats").WithSummary("Archive all the caller's chats");
        group.MapPost("/unarchive/all", (Auth.CurrentUser caller, ChatStore chats, CancellationToken ct) => SetArchived(caller, chats, false, ct)).WithName("UnarchiveAllChats").WithSummary("Unarchive all the caller's chats");
        group.MapGet("/shared", ChatShareHandlers.SharedList).WithName("SharedChats").WithSummary("List the caller's shared chats, paged");
        group.MapGet("/share/{shareId}", ChatShareHandlers.Open).AllowAnonymous().WithName("OpenSharedChat").WithSummary("Open a shared chat's snapshot").Answers(401, 403);
        group.MapDelete("/share/all", ChatShareHandlers.UnshareAll).WithName("UnshareAllChats").WithSummary("Revoke all the caller's share links").Audited("chat.share.delete_all");
        group.MapGet("/shared/{id}/access", ChatShareAccessHandlers.List).WithName("SharedChatAccess").WithSummary("Who may open a chat's share").Answers(404);
        group.MapPost("/shared/{id}/access/update", ChatShareAccessHandlers.Update).WithName("UpdateSharedChatAccess").WithSummary("Replace who may open a chat's share").Produces<ChatResponse>().Answers(404).Audited("chat.access.update");
        group.MapPost("/tags", ChatListHandlers.ByTag).WithName("ChatsByTag").WithSummary("The caller's chats that carry a tag");
        group.MapGet("/stats/usage", ChatStatsHandlers.Usage).WithName("ChatUsageStats").WithSummary("Usage statistics of the caller's chats");
        group.MapGet("/stats/export", ChatStatsHandlers.Export).WithName("ExportChatStats").WithSummary("Export per-chat statistics");
        group.MapGet("/stats/export/{chatId}", ChatStatsHandlers.ExportOne).WithName("ExportOneChatStats").WithSummary("Statistics of one chat").Answers(404);

        group.MapGet("/page", ChatListHandlers.Page).WithName("ChatPage").WithSummary("Whole chats of the caller, newest first, with the total");

        group.MapGet("/{id}", ChatItemHandlers.Get).WithName("GetChat").WithSummary("One chat, with its messages");
        group.MapGet("/{id}/markdown", ChatTranscriptHandlers.Markdown).WithName("ChatMarkdown").WithSummary("A chat's current branch as Markdown");
        group.MapPost("/{id}/title", ChatItemHandlers.Rename).WithName("RenameChat").WithSummary("Rename a chat");
        group.MapPost("/{id}", ChatItemHandlers.Update).WithName("UpdateChat").WithSummary("Save a chat (its history is merged, never truncated)");
        group.MapDelete("/{id}", ChatItemHandlers.Delete).WithName("DeleteChat").WithSummary("Delete a chat").Answers(404);
        group.MapPost("/{id}/messages/{messageId}", ChatMessageHandlers.Upsert).WithName("UpsertChatMessage").WithSummary("Create or update one message of a chat");
        group.MapPost("/{id}/messages/{messageId}/event", ChatMessageHandlers.Event).WithName("ChatMessageEvent").WithSummary("Record an event on a message (status, sources, …)");
        group.MapDelete("/{id}/messages/{messageId}", ChatMessageHandlers.DeleteBranch).WithName("DeleteChatMessage").WithSummary("Delete a message and its replies");
        group.MapGet("/{id}/pinned", ChatItemHandlers.GetPinned).WithName("GetChatPinned").WithSummary("Whether a chat is pinned");
        group.MapPost("/{id}/pin", ChatItemHandlers.TogglePin).WithName("PinChat").WithSummary("Pin or unpin a chat");
        group.MapGet("/{id}/keep", ChatItemHandlers.GetKeep).WithName("GetChatKeep").WithSummary("Whether a chat is kept from retention");
        group.MapPost("/{id}/keep", ChatItemHandlers.ToggleKeep).WithName("KeepChat").WithSummary("Keep a chat from retention, or stop keeping it");
        group.MapPost("/{id}/clone", ChatItemHandlers.Clone).WithName("CloneChat").WithSummary("Copy a chat into a new one");
        group.MapPost("/{id}/fork", ChatForkHandlers.Fork).WithName("ForkChat").WithSummary("Start a new chat from a message of this one").Answers(400, 404, 409);
        group.MapPost("/{id}/clone/shared", ChatShareHandlers.CloneShared).WithName("CloneSharedChat").WithSummary("Copy a shared chat into the caller's chats");
        group.MapPost("/{id}/archive", ChatItemHandlers.ToggleArchive).WithName("ArchiveChat").WithSummary("Archive or unarchive a chat");
        group.MapPost("/{id}/share", ChatShareHandlers.Share).WithName("ShareChat").WithSummary("Make or update a chat's share snapshot").Audited("chat.share.create");
        group.MapDelete("/{id}/share", ChatShareHandlers.Unshare).WithName("UnshareChat").WithSummary("Revoke a chat's share link").Audited("chat.share.delete");
        group.MapPost("/{id}/folder", ChatItemHandlers.MoveToFolder).WithName("MoveChatToFolder").WithSummary("Move a chat into a folder, or out of any").Answers(404);
        group.MapPost("/{id}/unread", ChatReadHandlers.Unread).WithName("UnreadChat").WithSummary("Mark a chat unread").Answers(404);
        group.MapGet("/{id}/tags", ChatTagHandlers.OfChat).WithName("GetChatTags").WithSummary("A chat's tags");
        group.MapPost("/{id}/tags", ChatTagHandlers.Add).WithName("AddChatTag").WithSummary("Tag a chat").Answers(400);
        group.MapDelete("/{id}/tags", ChatTagHandlers.Remove).WithName("RemoveChatTag").WithSummary("Remove a tag from a chat");
        group.MapDelete("/{id}/tags/all", ChatTagHandlers.RemoveAll).WithName("RemoveAllChatTags").WithSummary("Remove every tag from a chat");
        routes.MapPost("/api/v1/utils/markdown", ChatTranscriptHandlers.Transcript).RequireAuthorization().WithTags("Chats").WithName("ChatTranscript").WithSummary("Render a title and messages as a Markdown transcript");
        return group;
    }

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<bool>> SetArchived(Auth.CurrentUser caller, ChatStore chats,
        bool archived, CancellationToken cancellationToken)
    {
        await chats.SetArchivedForAllAsync(caller.Id, archived, cancellationToken);
        return TypedResults.Ok(true);
    }

    public static IServiceCollection AddChats(this IServiceCollection services)
    {
        services.AddOptions<Transfer.ImportOptions>().Configure<IConfiguration>(Transfer.ImportOptions.MapEnvironment);
        return services.AddSingleton<ChatStore>()
        .AddSingleton<ChatQueries>()
        .AddSingleton<ChatPageStarts>()
        .AddSingleton<ChatMessageStore>()
        .AddSingleton<ChatCopies>()
        .AddSingleton<ChatAccess>()
        .AddSingleton<ChatGrants>()
        .AddSingleton<ChatReadState>()
        .AddSingleton<TagStore>()
        .AddSingleton<FolderStore>()
        .AddSingleton<Transfer.ChatImporter>()
        .AddSingleton<Transfer.ImportAttachments>()
        .AddSingleton<Transfer.ChatExporter>()
        .AddSingleton<Transfer.MarkdownExporter>();
    }
}

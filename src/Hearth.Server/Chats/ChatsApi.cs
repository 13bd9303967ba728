using Hearth.Server.Audit;

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

        group.MapGet("/", ChatListHandlers.List).WithName("ListChats");
        group.MapGet("/list", ChatListHandlers.List).WithName("ListChatsAlias");
        group.MapDelete("/", ChatItemHandlers.DeleteAll).WithName("DeleteAllChats");
        group.MapGet("/list/user/{userId}", ChatListHandlers.ListOfUser).RequireAuthorization(Auth.AuthSetup.Admin).WithName("ListChatsOfUser")
            .Audited("chat.admin.list", (call, record) => record with { Target = new AuditTarget("user", call.Route("userId")) });
        group.MapPost("/new", ChatItemHandlers.Create).WithName("CreateChat");
        group.MapPost("/import", ChatItemHandlers.Import).WithName("ImportChats");
        group.MapPost("/import/file", Transfer.ImportUploadHandlers.Import).WithName("ImportChatExportFile");
        group.MapGet("/search", ChatListHandlers.Search).WithName("SearchChats");
        group.MapGet("/folder/{folderId}", ChatListHandlers.InFolderTree).WithName("ChatsInFolderTree");
        group.MapGet("/folder/{folderId}/list", ChatListHandlers.InFolderPage).WithName("ChatsInFolder");
        group.MapGet("/pinned", ChatListHandlers.Pinned).WithName("PinnedChats");
        group.MapGet("/all", ChatExportHandlers.All).WithName("AllChats");
        group.MapGet("/all/archived", ChatExportHandlers.AllArchived).WithName("AllArchivedChats");
        group.MapGet("/all/tags", ChatTagHandlers.All).WithName("AllTags");
        group.MapGet("/all/db", ChatExportHandlers.AllInDatabase).RequireAuthorization(Auth.AuthSetup.Admin).WithName("AllChatsInDatabase")
            .Audited("chat.admin.export", (call, record) => record with { Response = null });
        group.MapGet("/archived", ChatListHandlers.Archived).WithName("ArchivedChats");
        group.MapGet("/archived/count", ChatReadHandlers.ArchivedCount).WithName("ArchivedChatCount");
        group.MapPost("/read", ChatReadHandlers.ReadAll).WithName("ReadAllChats");
        group.MapPost("/archive/all", (Auth.CurrentUser caller, ChatStore chats, CancellationToken ct) => SetArchived(caller, chats, true, ct)).WithName("ArchiveAllChats");
        group.MapPost("/unarchive/all", (Auth.CurrentUser caller, ChatStore chats, CancellationToken ct) => SetArchived(caller, chats, false, ct)).WithName("UnarchiveAllChats");
        group.MapGet("/shared", ChatShareHandlers.SharedList).WithName("SharedChats");
        group.MapGet("/share/{shareId}", ChatShareHandlers.Open).AllowAnonymous().WithName("OpenSharedChat");
        group.MapDelete("/share/all", ChatShareHandlers.UnshareAll).WithName("UnshareAllChats").Audited("chat.share.delete_all");
        group.MapGet("/shared/{id}/access", ChatShareAccessHandlers.List).WithName("SharedChatAccess");
        group.MapPost("/shared/{id}/access/update", ChatShareAccessHandlers.Update).WithName("UpdateSharedChatAccess").Audited("chat.access.update");
        group.MapPost("/tags", ChatListHandlers.ByTag).WithName("ChatsByTag");
        group.MapGet("/stats/usage", ChatStatsHandlers.Usage).WithName("ChatUsageStats");
        group.MapGet("/stats/export", ChatStatsHandlers.Export).WithName("ExportChatStats");
        group.MapGet("/stats/export/{chatId}", ChatStatsHandlers.ExportOne).WithName("ExportOneChatStats");

        group.MapGet("/page", ChatListHandlers.Page).WithName("ChatPage");

        group.MapGet("/{id}", ChatItemHandlers.Get).WithName("GetChat");
        group.MapGet("/{id}/markdown", ChatTranscriptHandlers.Markdown).WithName("ChatMarkdown");
        group.MapPost("/{id}/title", ChatItemHandlers.Rename).WithName("RenameChat");
        group.MapPost("/{id}", ChatItemHandlers.Update).WithName("UpdateChat");
        group.MapDelete("/{id}", ChatItemHandlers.Delete).WithName("DeleteChat");
        group.MapPost("/{id}/messages/{messageId}", ChatMessageHandlers.Upsert).WithName("UpsertChatMessage");
        group.MapPost("/{id}/messages/{messageId}/event", ChatMessageHandlers.Event).WithName("ChatMessageEvent");
        group.MapDelete("/{id}/messages/{messageId}", ChatMessageHandlers.DeleteBranch).WithName("DeleteChatMessage");
        group.MapGet("/{id}/pinned", ChatItemHandlers.GetPinned).WithName("GetChatPinned");
        group.MapPost("/{id}/pin", ChatItemHandlers.TogglePin).WithName("PinChat");
        group.MapGet("/{id}/keep", ChatItemHandlers.GetKeep).WithName("GetChatKeep");
        group.MapPost("/{id}/keep", ChatItemHandlers.ToggleKeep).WithName("KeepChat");
        group.MapPost("/{id}/clone", ChatItemHandlers.Clone).WithName("CloneChat");
        group.MapPost("/{id}/fork", ChatForkHandlers.Fork).WithName("ForkChat");
        group.MapPost("/{id}/clone/shared", ChatShareHandlers.CloneShared).WithName("CloneSharedChat");
        group.MapPost("/{id}/archive", ChatItemHandlers.ToggleArchive).WithName("ArchiveChat");
        group.MapPost("/{id}/share", ChatShareHandlers.Share).WithName("ShareChat").Audited("chat.share.create");
        group.MapDelete("/{id}/share", ChatShareHandlers.Unshare).WithName("UnshareChat").Audited("chat.share.delete");
        group.MapPost("/{id}/folder", ChatItemHandlers.MoveToFolder).WithName("MoveChatToFolder");
        group.MapPost("/{id}/unread", ChatReadHandlers.Unread).WithName("UnreadChat");
        group.MapGet("/{id}/tags", ChatTagHandlers.OfChat).WithName("GetChatTags");
        group.MapPost("/{id}/tags", ChatTagHandlers.Add).WithName("AddChatTag");
        group.MapDelete("/{id}/tags", ChatTagHandlers.Remove).WithName("RemoveChatTag");
        group.MapDelete("/{id}/tags/all", ChatTagHandlers.RemoveAll).WithName("RemoveAllChatTags");
        routes.MapPost("/api/v1/utils/markdown", ChatTranscriptHandlers.Transcript).RequireAuthorization().WithTags("Chats").WithName("ChatTranscript");
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

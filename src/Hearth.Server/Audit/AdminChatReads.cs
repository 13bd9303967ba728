using Hearth.Server.Auth;
using Hearth.Server.Chats;

namespace Hearth.Server.Audit;

/// <summary>
/// Writes <c>chat.admin.read</c> whenever an admin reads a chat of another user, whichever way they came: the chat's
/// JSON, its Markdown, its tags, its page, its gallery or one of its files, or a write into it (a message, a completion).
/// The owner-or-admin check every such request goes through (<see cref="ChatAccess.Reaches"/>, used by
/// <see cref="ChatGrants"/> and <see cref="ArtifactFiles.ArtifactFileAccess"/>) calls it, as does a signed link's
/// download. One line per chat and request, written once the answer is sent, with its status.
/// </summary>
internal sealed class AdminChatReads(IAuditLog audit, IHttpContextAccessor requests)
{
    /// <summary>Records the read when <paramref name="caller"/> is an admin and <paramref name="chat"/> is not theirs.</summary>
    public void Saw(CurrentUser? caller, ChatRow chat)
    {
        if (caller is not { Role: Roles.Admin } || chat.UserId == caller.Id || !audit.Enabled)
        {
            return;
        }
        if (requests.HttpContext is not { } http)
        {
            audit.Record(null, Read(caller, chat, null));
            return;
        }
        // A page reads a chat more than once (its rows, then its files): one line says it.
        if (http.Items.TryAdd((typeof(AdminChatReads), chat.Id), true))
        {
            http.Response.OnCompleted(() =>
            {
                audit.Record(http, Read(caller, chat, http.Response.StatusCode));
                return Task.CompletedTask;
            });
        }
    }

    // The actor is named: a signed link's download is the signer's read, whoever follows the link.
    private static AuditRecord Read(CurrentUser admin, ChatRow chat, int? status) =>
        new("chat.admin.read", status is { } answered ? AuditOutcome.Of(answered) : AuditOutcome.Success, new AuditTarget("chat", chat.Id))
        {
            Actor = new AuditActor(admin.Id, admin.Email, admin.Role),
            Status = status,
            Details = new Dictionary<string, object?> { ["owner_id"] = chat.UserId },
        };
}

using Hearth.Server.Auth;
using Hearth.Server.Chats;

namespace Hearth.Server.Audit;

/// <summary>
/// Writes <c>chat.admin.read</c> whenever an admin reads a chat of another user, whichever way they came: the chat's
/// JSON, its Markdown, its tags, its page, its gallery or one of its files. The two access checks every such read goes
/// through (<see cref="ChatGrants"/>, <see cref="ArtifactFiles.ArtifactFileAccess"/>) call it, so no route can forget;
/// the request is the one being served.
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
        audit.Record(requests.HttpContext, new AuditRecord("chat.admin.read", AuditOutcome.Success, new AuditTarget("chat", chat.Id))
        {
            Details = new Dictionary<string, object?> { ["owner_id"] = chat.UserId },
        });
    }
}

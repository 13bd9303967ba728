using Hearth.Server.Audit;

namespace Hearth.Server.Retention;

/// <summary>
/// The one place a retention pass reports what it removed, after each batch commits: a line in the server's log and,
/// when the audit log is on, an audit line (<c>chat.retention.delete</c> or <c>chat.retention.archive</c>) whose
/// actor is the system, whose target is the chats' owner and whose details name the chats and the rule's days.
/// </summary>
internal sealed class RetentionAudit(IAuditLog audit, ILogger<RetentionAudit> logger)
{
    /// <summary>Who acts in a retention pass: Hearth itself, on the admin's rule.</summary>
    private static readonly AuditActor System = new(null, null, "system");

    public void ChatsRemoved(string userId, string action, IReadOnlyCollection<string> chatIds, int days)
    {
        var verb = action == RetentionRule.Delete ? "delete" : "archive";
        logger.LogInformation("Retention {Action}d {Count} chats of user {UserId} not updated for {Days} days", verb, chatIds.Count, userId, days);
        audit.Record(null, new AuditRecord($"chat.retention.{verb}", AuditOutcome.Success, new AuditTarget("user", userId))
        {
            Actor = System,
            Details = new Dictionary<string, object?> { ["chat_ids"] = chatIds.ToArray(), ["count"] = chatIds.Count, ["days"] = days },
        });
    }
}

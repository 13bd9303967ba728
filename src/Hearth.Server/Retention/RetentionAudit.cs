namespace Hearth.Server.Retention;

/// <summary>
/// The one place a retention pass reports what it removed, after each batch commits. It logs for now; the audit
/// log (issue 15, "Audit and telemetry") records retention deletions here.
/// </summary>
internal sealed class RetentionAudit(ILogger<RetentionAudit> logger)
{
    public void ChatsRemoved(string userId, string action, IReadOnlyCollection<string> chatIds, int days)
    {
        // TODO(issue 15): write an audit entry (actor "retention", the user, the chat ids, the action and the rule's days).
        logger.LogInformation("Retention {Action}d {Count} chats of user {UserId} not updated for {Days} days",
            action == RetentionRule.Delete ? "delete" : "archive", chatIds.Count, userId, days);
    }
}

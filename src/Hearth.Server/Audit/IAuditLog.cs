namespace Hearth.Server.Audit;

/// <summary>
/// Records security-relevant actions (sign-ins, role changes, keys, shares, grants, admin reads) as lines of the
/// audit log. Call it from a handler after the action, or put <see cref="AuditFilter.Audited{TBuilder}"/> on the route.
/// Never throws and never waits for the disk: a line that cannot be written is dropped with a warning in the log.
/// </summary>
internal interface IAuditLog
{
    /// <summary>False with <c>AUDIT_LOG_LEVEL=NONE</c>: callers may skip building a record.</summary>
    bool Enabled { get; }

    /// <summary>
    /// Records <paramref name="record"/> with the caller (unless the record names its actor), address, user agent,
    /// method and path of <paramref name="http"/> and the current time. <paramref name="http"/> is null for what
    /// Hearth does on its own (a retention pass): the line then names no request.
    /// </summary>
    void Record(HttpContext? http, AuditRecord record);
}

/// <summary>One audited action. Put only non-secret facts in <see cref="Details"/>; request and response bodies
/// are scrubbed of passwords, tokens and keys before they are written, but are better left out when they hold any.</summary>
/// <param name="Action">Dotted, subject first: <c>auth.signin</c>, <c>user.role.change</c>, <c>chat.share.create</c>.</param>
/// <param name="Outcome"><see cref="AuditOutcome.Success"/> or <see cref="AuditOutcome.Failure"/>.</param>
internal sealed record AuditRecord(string Action, string Outcome, AuditTarget? Target = null)
{
    /// <summary>Who acted, when it is not the signed-in caller (a sign-in, whose caller is nobody yet).</summary>
    public AuditActor? Actor { get; init; }
    /// <summary>The HTTP status answered, when known.</summary>
    public int? Status { get; init; }
    /// <summary>Facts written at every level (the fields changed, the new role, a chat's owner).</summary>
    public IReadOnlyDictionary<string, object?>? Details { get; init; }
    /// <summary>The request's body, written from <c>AUDIT_LOG_LEVEL=REQUEST</c> on.</summary>
    public object? Request { get; init; }
    /// <summary>The answer's body, written with <c>AUDIT_LOG_LEVEL=REQUEST_RESPONSE</c>.</summary>
    public object? Response { get; init; }
}

/// <summary>What was acted on: a type (<c>user</c>, <c>chat</c>, <c>group</c>, <c>model</c>, <c>folder</c>) and its id.</summary>
internal sealed record AuditTarget(string Type, string? Id);

/// <summary>Who acted; an unknown person (a failed sign-in) has only the email they typed.</summary>
internal sealed record AuditActor(string? Id, string? Email, string? Role);

internal static class AuditOutcome
{
    public const string Success = "success";
    public const string Failure = "failure";

    /// <summary>Success below 400, failure from 400 on.</summary>
    public static string Of(int status) => status < 400 ? Success : Failure;
}

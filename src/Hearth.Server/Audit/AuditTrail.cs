using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Auth;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Audit;

/// <summary>
/// The audit log as handlers see it: turns a record into one JSON line (fields by <c>AUDIT_LOG_LEVEL</c>, secrets
/// scrubbed) and hands it to <see cref="AuditFileWriter"/>, which writes it off the request's path.
/// </summary>
internal sealed class AuditTrail(IOptions<AuditOptions> options, AuditFileWriter writer, TimeProvider clock) : IAuditLog
{
    public bool Enabled => options.Value.Enabled;

    public void Record(HttpContext? http, AuditRecord record)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }
        var now = clock.GetUtcNow();
        var caller = http is null ? null : CurrentUser.From(http.User);
        var actor = record.Actor ?? (caller is null ? null : new AuditActor(caller.Id, caller.Email, caller.Role));
        var line = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["time"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["timestamp"] = now.ToUnixTimeSeconds(),
            ["level"] = settings.Level switch
            {
                AuditLevel.Metadata => "METADATA",
                AuditLevel.Request => "REQUEST",
                _ => "REQUEST_RESPONSE",
            },
            ["action"] = record.Action,
            ["outcome"] = record.Outcome,
            ["status"] = record.Status,
            ["actor"] = actor is null ? null : new JsonObject { ["id"] = actor.Id, ["email"] = actor.Email, ["role"] = actor.Role },
            ["target"] = record.Target is null ? null : new JsonObject { ["type"] = record.Target.Type, ["id"] = record.Target.Id },
            ["ip"] = http?.Connection.RemoteIpAddress?.ToString(),
            ["user_agent"] = http?.Request.Headers.UserAgent.ToString(),
            ["method"] = http?.Request.Method,
            // The path only: a query string may carry a signed link or a token.
            ["path"] = http?.Request.Path.Value,
            ["pid"] = Environment.ProcessId,
        };
        if (record.Details is { Count: > 0 })
        {
            line["details"] = AuditScrub.Node(record.Details, int.MaxValue);
        }
        if (settings.Level >= AuditLevel.Request && record.Request is not null)
        {
            line["request"] = AuditScrub.Node(record.Request, settings.MaxBodyLogSize);
        }
        if (settings.Level >= AuditLevel.RequestResponse && record.Response is not null)
        {
            line["response"] = AuditScrub.Node(record.Response, settings.MaxBodyLogSize);
        }
        writer.Enqueue(line.ToJsonString(LineJson));
    }

    private static readonly JsonSerializerOptions LineJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

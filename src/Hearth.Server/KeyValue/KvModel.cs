namespace Hearth.Server.KeyValue;

internal static class KvScopes
{
    public const string Personal = "personal";
    public const string Shared = "shared";

    public static bool IsValid(string? scope) => scope is Personal or Shared;
}

/// <summary>
/// Where an artifact lives. <see cref="Owner"/> is the namespace: the caller's id in the personal scope,
/// "" in the shared scope, so one user's personal keys can never be addressed by anyone else.
/// </summary>
internal readonly record struct KvAddress(string Scope, string Owner, string Key)
{
    public const string SharedOwner = "";

    public static KvAddress For(string scope, string key, string callerId) =>
        new(scope, Namespace(scope, callerId), key);

    public static string Namespace(string scope, string callerId) => scope == KvScopes.Personal ? callerId : SharedOwner;

    public static string ScopeOf(string owner) => owner == SharedOwner ? KvScopes.Shared : KvScopes.Personal;

    /// <summary>The user whose deletion removes this row: the owner of a personal row, nobody for a shared one.</summary>
    public static string? UserOf(string owner) => owner == SharedOwner ? null : owner;
}

/// <summary>One row of <c>artifacts</c>; timestamps are Unix milliseconds. Never sent as is: see <see cref="KvResponse"/>.</summary>
internal sealed class KvRow
{
    public string OwnerId { get; set; } = "";
    public string Key { get; set; } = "";
    /// <summary>Null when a listing was asked for without values.</summary>
    public string? Value { get; set; }
    public long Version { get; set; }
    public long Size { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";

    public string Scope => KvAddress.ScopeOf(OwnerId);
}

/// <summary>A committed change, as the watch stream and PostgreSQL's NOTIFY carry it.</summary>
internal sealed record KvChange(string Owner, string Key, long Version, long UpdatedAt, string UpdatedBy, bool Deleted)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string Scope => KvAddress.ScopeOf(Owner);
}

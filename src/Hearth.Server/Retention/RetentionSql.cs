using Hearth.Server.Storage;

namespace Hearth.Server.Retention;

/// <summary>
/// Which chats a rule removes, as SQL over <c>chats</c> with <c>@userId</c> and <c>@before</c> (unix seconds):
/// the user's chats not updated since, neither pinned nor kept (<c>meta.keep</c> is JSON <c>true</c>), and for
/// archiving only those not archived yet. Used to pick candidates and again under the rows' locks, so a chat
/// pinned, kept or updated meanwhile stays.
/// </summary>
internal static class RetentionSql
{
    public static string Removable(bool postgres, bool archiving) =>
        $"user_id = @userId AND updated_at < @before AND pinned IS NOT TRUE AND {NotKept(postgres)}"
        + (archiving ? $" AND archived = {SqlDialect.Literal(postgres, false)}" : "");

    private static string NotKept(bool postgres) =>
        postgres ? "(meta::jsonb -> 'keep') IS DISTINCT FROM 'true'::jsonb" : "json_type(meta, '$.keep') IS NOT 'true'";
}

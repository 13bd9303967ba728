namespace Hearth.Server.Retention;

/// <summary>
/// One retention rule: chats not updated for <see cref="Days"/> days are deleted or archived; 0 days keeps every
/// chat. An override's <see cref="Action"/> may be null: the server's action then applies.
/// </summary>
internal sealed record RetentionRule(int Days, string? Action)
{
    public const string Delete = "delete";
    public const string Archive = "archive";
    public const int MaxDays = 36_500;

    public static bool IsAction(string? action) => action is Delete or Archive;

    public bool KeepsEverything => Days <= 0;
}

/// <summary>
/// The server's rule and an admin's overrides by group and by user. Which rule a user's chats follow: their own
/// override, else the most lenient of their groups' overrides (the one that keeps chats longest, "never" above
/// all: when groups disagree, deleting less is the mistake that can be undone), else the server's.
/// </summary>
internal sealed record RetentionPolicy(
    RetentionRule Server,
    IReadOnlyDictionary<string, RetentionRule> Groups,
    IReadOnlyDictionary<string, RetentionRule> Users)
{
    public RetentionRule For(string userId, IEnumerable<string> groupIds)
    {
        var rule = Users.GetValueOrDefault(userId) ?? MostLenient(groupIds) ?? Server;
        return rule with { Action = rule.Action ?? Server.Action ?? RetentionRule.Archive };
    }

    /// <summary>Whether any rule could remove a chat (else a pass has nothing to look at).</summary>
    public bool RemovesAnything =>
        !Server.KeepsEverything || Groups.Values.Any(r => !r.KeepsEverything) || Users.Values.Any(r => !r.KeepsEverything);

    private RetentionRule? MostLenient(IEnumerable<string> groupIds) =>
        groupIds.Select(id => Groups.GetValueOrDefault(id)).OfType<RetentionRule>()
            .OrderBy(r => r.KeepsEverything ? 0 : 1).ThenByDescending(r => r.Days).FirstOrDefault();
}

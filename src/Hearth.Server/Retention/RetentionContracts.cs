namespace Hearth.Server.Retention;

/// <summary>GET/POST <c>/api/v1/retention/config</c>: the server's rule and the overrides by group and user id.</summary>
internal sealed record RetentionConfig(
    int Days,
    string Action,
    IReadOnlyDictionary<string, RetentionRule> Groups,
    IReadOnlyDictionary<string, RetentionRule> Users)
{
    public RetentionPolicy ToPolicy() => new(new RetentionRule(Days, Action), Groups, Users);
}

/// <summary>A rule as posted: <c>days</c> required (0 = keep every chat), <c>action</c> optional in an override.</summary>
internal sealed record RetentionRuleForm(int? Days = null, string? Action = null);

/// <summary>POST <c>/api/v1/retention/config</c>: a missing field keeps its value; <c>groups</c> or <c>users</c> given replace that whole map.</summary>
internal sealed record RetentionConfigForm(
    int? Days = null,
    string? Action = null,
    Dictionary<string, RetentionRuleForm>? Groups = null,
    Dictionary<string, RetentionRuleForm>? Users = null)
{
    /// <returns>The first invalid field (as a path) with its value, or null.</returns>
    public (string Field, object? Input)? Invalid()
    {
        if (Days is < 0 or > RetentionRule.MaxDays)
        {
            return ("days", Days);
        }
        if (Action is not null && !RetentionRule.IsAction(Action))
        {
            return ("action", Action);
        }
        foreach (var (name, map) in new[] { ("groups", Groups), ("users", Users) })
        {
            foreach (var (id, rule) in map ?? [])
            {
                if (string.IsNullOrWhiteSpace(id) || rule.Days is null or < 0 or > RetentionRule.MaxDays)
                {
                    return ($"{name}.{id}.days", rule.Days);
                }
                if (rule.Action is not null && !RetentionRule.IsAction(rule.Action))
                {
                    return ($"{name}.{id}.action", rule.Action);
                }
            }
        }
        return null;
    }

    public RetentionConfig Apply(RetentionConfig current) => new(
        Days ?? current.Days,
        Action ?? current.Action,
        Groups is null ? current.Groups : Rules(Groups),
        Users is null ? current.Users : Rules(Users));

    private static Dictionary<string, RetentionRule> Rules(Dictionary<string, RetentionRuleForm> forms) =>
        forms.ToDictionary(f => f.Key, f => new RetentionRule(f.Value.Days ?? 0, f.Value.Action));
}

/// <summary>A chat a pass would remove (dry run) and what it would do with it.</summary>
internal sealed record RetentionCandidate(string Id, string UserId, string Title, long UpdatedAt, string Action);

/// <summary>GET <c>/api/v1/retention/preview</c>: how many chats would go now, and the first of them.</summary>
internal sealed record RetentionPreview(long Total, IReadOnlyList<RetentionCandidate> Chats);

/// <summary>What a pass did.</summary>
internal sealed record RetentionOutcome(int Deleted, int Archived);

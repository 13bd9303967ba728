namespace Hearth.Server.Chats;

/// <summary>
/// Open WebUI's search syntax (chats-api.md section 4): lower-cased, split on single spaces, with
/// <c>tag:</c>, <c>folder:</c>, <c>pinned:</c>, <c>archived:</c> and <c>shared:</c> tokens anywhere; the rest are
/// words that must each appear, in any order (Open WebUI 0.11; the classic router joined them into one needle).
/// </summary>
internal sealed record ChatSearchQuery(string Needle, IReadOnlyList<string> Tags, bool WithoutTags, IReadOnlyList<string> Folders,
    bool? Pinned, bool? Archived, bool? Shared)
{
    public bool IsEmpty => Needle.Length == 0 && Tags.Count == 0 && !WithoutTags && Folders.Count == 0
                           && Pinned is null && Archived is null && Shared is null;

    /// <summary>The words of <see cref="Needle"/>, each once: a chat matches when it holds every one.</summary>
    public IReadOnlyList<string> Words => Needle.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();

    /// <summary>The query is exactly one <c>tag:x</c> word (the router then deletes tag x when nothing matched).</summary>
    public string? LoneTag { get; init; }

    public static ChatSearchQuery Parse(string text)
    {
        var normalised = text.Replace("\0", "").ToLowerInvariant().Trim();
        var words = normalised.Split(' ');
        var tags = new List<string>();
        var folders = new List<string>();
        var rest = new List<string>();
        bool? pinned = null, archived = null, shared = null;
        var withoutTags = false;
        foreach (var word in words)
        {
            if (word.StartsWith("tag:", StringComparison.Ordinal))
            {
                var tag = word["tag:".Length..];
                if (tag == "none")
                {
                    withoutTags = true;
                }
                else if (tag.Length > 0)
                {
                    tags.Add(tag);
                }
            }
            else if (word.StartsWith("folder:", StringComparison.Ordinal))
            {
                folders.Add(word["folder:".Length..]);
            }
            else if (Flag(word, "pinned:", ref pinned) || Flag(word, "archived:", ref archived) || Flag(word, "shared:", ref shared))
            {
                // A recognised flag token, or one with a value other than true/false: removed either way.
            }
            else
            {
                rest.Add(word);
            }
        }
        var loneTag = words.Length == 1 && words[0].StartsWith("tag:", StringComparison.Ordinal) ? words[0]["tag:".Length..] : null;
        return new ChatSearchQuery(string.Join(' ', rest).Trim(), tags, withoutTags, folders, pinned, archived, shared)
        {
            LoneTag = loneTag,
        };
    }

    private static bool Flag(string word, string prefix, ref bool? value)
    {
        if (!word.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        value = word[prefix.Length..] switch
        {
            "true" => true,
            "false" => false,
            _ => value,
        };
        return true;
    }
}

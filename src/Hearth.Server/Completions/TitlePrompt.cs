using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Hearth.Server.Completions;

/// <summary>
/// The title task's two ends: the prompt, a template filled with the conversation (as Open WebUI fills it: one
/// <c>USER:</c> or <c>ASSISTANT:</c> line per message), and the title read back from what the model answered.
/// </summary>
internal static partial class TitlePrompt
{
    /// <summary>Each message's text in the prompt is cut to this: a title needs the gist, and the prompt stays small.</summary>
    public const int MaxMessageLength = 2_000;

    /// <summary>A title longer than this is cut: the sidebar shows one line.</summary>
    public const int MaxTitleLength = 100;

    /// <summary>The template with its placeholders filled from <paramref name="messages"/> (oldest first).</summary>
    public static string Fill(string template, IReadOnlyList<(string Role, string Text)> messages) =>
        Placeholder().Replace(template, match =>
        {
            if (match.Groups["prompt"].Success)
            {
                return Cut(messages.LastOrDefault(m => m.Role == "user").Text ?? "");
            }
            var count = match.Groups["count"].Success && int.TryParse(match.Groups["count"].Value, out var n) ? Math.Max(n, 0) : messages.Count;
            var chosen = match.Groups["end"].Value.Equals("START", StringComparison.Ordinal)
                ? messages.Take(count)
                : messages.Skip(Math.Max(messages.Count - count, 0));
            return string.Join("\n", chosen.Select(m => $"{m.Role.ToUpperInvariant()}: {Cut(m.Text)}"));
        });

    /// <summary>The title in the model's answer (<c>{"title": ...}</c>, or else its first line), tidied; null when there is none.</summary>
    public static string? Read(string? answer)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return null;
        }
        var text = answer;
        var open = answer.IndexOf('{');
        var close = answer.LastIndexOf('}');
        if (open >= 0 && close > open)
        {
            try
            {
                if (JsonNode.Parse(answer[open..(close + 1)]) is JsonObject json)
                {
                    // The answer has the asked-for shape: its title, or none (never the JSON itself).
                    text = Chats.MessageTree.String(json["title"]) ?? "";
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: the words themselves are read.
            }
        }
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        var tidy = Spaces().Replace(line.Trim(' ', '"', '\'', '#', '*', '`', '“', '”'), " ");
        return tidy.Length == 0 ? null : CutTitle(tidy);
    }

    private static string Cut(string text) => text.Length <= MaxMessageLength ? text : text[..MaxMessageLength] + "…";

    /// <summary>Cut on a whole character (never half a surrogate pair).</summary>
    private static string CutTitle(string title)
    {
        if (title.Length <= MaxTitleLength)
        {
            return title;
        }
        var end = char.IsHighSurrogate(title[MaxTitleLength - 1]) ? MaxTitleLength - 1 : MaxTitleLength;
        return new StringBuilder(title, 0, end, end).ToString().TrimEnd();
    }

    [GeneratedRegex(@"\{\{(?:(?<prompt>prompt)|MESSAGES(?::(?<end>START|END):(?<count>\d{1,4}))?)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}

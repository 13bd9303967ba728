using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Auth;

internal sealed record UsageDay(string Date, int Messages, int Chats, long Tokens, Dictionary<string, int> Models);

internal sealed record UsageModel(string ModelId, int Count);

internal sealed record UsageTotals(long LifetimeTokens, long InputTokens, long OutputTokens, long PeakDailyTokens, long LongestChatSeconds,
    int CurrentStreak, int LongestStreak, long TotalChats, int ActiveDays, int ModelsUsed, int Messages, int UserMessages, int AssistantMessages);

internal sealed record UsageInsights(string? MostUsedModel, double AverageTokensPerChat, double AverageMessagesPerActiveDay,
    double UserMessageShare, double AssistantMessageShare);

internal sealed record UsagePeriod(long StartDate, long EndDate, int Days);

/// <summary>
/// GET /api/v1/users/usage in Open WebUI 0.11's shape, from the message rows' role, model and timestamp (seconds).
/// Hearth keeps no token counts, so the token figures are 0.
/// </summary>
internal sealed record UsageResponse(UsageTotals Totals, IReadOnlyList<UsageDay> Heatmap, IReadOnlyList<UsageDay> WeeklyHeatmap,
    IReadOnlyList<UsageDay> CumulativeHeatmap, UsageInsights Insights, IReadOnlyList<UsageModel> TopModels, IReadOnlyList<object> TopTools,
    UsagePeriod Period);

/// <summary>The message counts behind a user's usage page: one pass over their messages in the period.</summary>
internal sealed class UserUsageStore(Database database)
{
    private sealed record MessageFact(string ChatId, string? Role, string? Model, long Timestamp);

    public async Task<UsageResponse> ForAsync(string userId, long start, long end, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var facts = (await connection.QueryAsync<MessageFact>(new CommandDefinition(
            """
            SELECT m.chat_id, m.role, m.model, m.timestamp FROM chat_messages m JOIN chats c ON c.id = m.chat_id
            WHERE c.user_id = @userId AND m.timestamp BETWEEN @start AND @end
            """, new { userId, start, end }, cancellationToken: cancellationToken))).ToList();
        var totalChats = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM chats WHERE user_id = @userId", new { userId }, cancellationToken: cancellationToken));
        var modelsUsed = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            SELECT COUNT(DISTINCT m.model) FROM chat_messages m JOIN chats c ON c.id = m.chat_id
            WHERE c.user_id = @userId AND m.role = 'assistant' AND m.model IS NOT NULL
            """, new { userId }, cancellationToken: cancellationToken));
        return Summarise(facts, totalChats, modelsUsed, start, end);
    }

    private static UsageResponse Summarise(List<MessageFact> facts, long totalChats, int modelsUsed, long start, long end)
    {
        static string Day(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd");
        var byDay = facts.GroupBy(f => Day(f.Timestamp)).ToDictionary(g => g.Key, g => g.ToList());
        var heatmap = new List<UsageDay>();
        for (var day = DateTimeOffset.FromUnixTimeSeconds(start).UtcDateTime.Date; day <= DateTimeOffset.FromUnixTimeSeconds(end).UtcDateTime.Date; day = day.AddDays(1))
        {
            var key = day.ToString("yyyy-MM-dd");
            var items = byDay.GetValueOrDefault(key) ?? [];
            heatmap.Add(new UsageDay(key, items.Count, items.Select(i => i.ChatId).Distinct().Count(), 0, ModelCounts(items)));
        }
        var topModels = ModelCounts(facts).OrderByDescending(m => m.Value).ThenBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => new UsageModel(m.Key, m.Value)).ToList();
        var (current, longest) = Streaks(heatmap);
        var users = facts.Count(f => f.Role == "user");
        var assistants = facts.Count(f => f.Role == "assistant");
        var activeDays = heatmap.Count(d => d.Messages > 0);
        double Share(int part) => facts.Count == 0 ? 0 : Math.Round(part * 100.0 / facts.Count, 1);
        return new UsageResponse(
            new UsageTotals(0, 0, 0, 0, 0, current, longest, totalChats, activeDays, modelsUsed, facts.Count, users, assistants),
            heatmap, Weekly(heatmap), Cumulative(heatmap),
            new UsageInsights(topModels.FirstOrDefault()?.ModelId, 0, activeDays == 0 ? 0 : Math.Round((double)facts.Count / activeDays, 1),
                Share(users), Share(assistants)),
            topModels, [], new UsagePeriod(start, end, heatmap.Count));
    }

    private static Dictionary<string, int> ModelCounts(IEnumerable<MessageFact> facts) =>
        facts.Where(f => f.Role == "assistant" && f.Model is not null).GroupBy(f => f.Model!).ToDictionary(g => g.Key, g => g.Count());

    private static (int Current, int Longest) Streaks(List<UsageDay> heatmap)
    {
        int longest = 0, run = 0;
        foreach (var day in heatmap)
        {
            run = day.Messages > 0 ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        var current = heatmap.AsEnumerable().Reverse().TakeWhile(d => d.Messages > 0).Count();
        return (current, longest);
    }

    private static List<UsageDay> Weekly(List<UsageDay> heatmap) =>
        heatmap.GroupBy(d =>
            {
                var date = DateTime.ParseExact(d.Date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                return date.AddDays(-(((int)date.DayOfWeek + 6) % 7)).ToString("yyyy-MM-dd");
            })
            .Select(g => new UsageDay(g.Key, g.Sum(d => d.Messages), g.Sum(d => d.Chats), 0, Merge(g.Select(d => d.Models))))
            .ToList();

    private static List<UsageDay> Cumulative(List<UsageDay> heatmap)
    {
        var result = new List<UsageDay>();
        int messages = 0, chats = 0;
        var models = new Dictionary<string, int>();
        foreach (var day in heatmap)
        {
            messages += day.Messages;
            chats += day.Chats;
            models = Merge([models, day.Models]);
            result.Add(new UsageDay(day.Date, messages, chats, 0, models));
        }
        return result;
    }

    private static Dictionary<string, int> Merge(IEnumerable<Dictionary<string, int>> counts) =>
        counts.SelectMany(c => c).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.Value));
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Hearth.Tests.KeyValue;

/// <summary>
/// The seed's example applications, ported line by line from its Python, except that a GET answers the
/// artifact object (the contract), so each app reads <c>artifact["value"]</c> where the seed read the body.
/// </summary>
internal abstract class SeedApp(HttpClient client, string key, string scope)
{
    protected async Task<JsonObject> LoadAsync(string emptyValue) =>
        (await client.ArtifactOrNullAsync(key, scope))?["value"]?.AsObject().DeepClone().AsObject() ?? JsonNode.Parse(emptyValue)!.AsObject();

    protected async Task SaveAsync(JsonObject value) => await client.StoredAsync(key, scope, value.ToJsonString());
}

internal sealed class JournalApp(HttpClient client) : SeedApp(client, "daily-journal", "personal")
{
    public async Task AddEntryAsync(string content, DateTime now)
    {
        var journal = await LoadAsync("""{"entries": []}""");
        journal["entries"]!.AsArray().Add(new JsonObject { ["date"] = now.ToString("s", CultureInfo.InvariantCulture), ["content"] = content });
        await SaveAsync(journal);
    }

    public async Task<IReadOnlyList<string>> RecentEntriesAsync(int count)
    {
        var entries = (await LoadAsync("""{"entries": []}"""))["entries"]!.AsArray();
        return entries.Skip(Math.Max(0, entries.Count - count)).Select(e => e!["content"]!.GetValue<string>()).ToList();
    }
}

internal sealed class HabitTracker(HttpClient client) : SeedApp(client, "habit-tracker", "personal")
{
    public async Task AddHabitAsync(string name, DateTime now)
    {
        var tracker = await LoadAsync("""{"habits": {}}""");
        var habits = tracker["habits"]!.AsObject();
        if (!habits.ContainsKey(name))
        {
            habits[name] = new JsonObject { ["created"] = now.ToString("s", CultureInfo.InvariantCulture), ["completed_dates"] = new JsonArray() };
            await SaveAsync(tracker);
        }
    }

    public async Task MarkCompleteAsync(string name, DateOnly day)
    {
        var tracker = await LoadAsync("""{"habits": {}}""");
        if (tracker["habits"]![name]?["completed_dates"]?.AsArray() is { } completed
            && completed.All(d => d!.GetValue<string>() != day.ToString("O", CultureInfo.InvariantCulture)))
        {
            completed.Add(day.ToString("O", CultureInfo.InvariantCulture));
            await SaveAsync(tracker);
        }
    }

    public async Task<int> StreakAsync(string name, DateOnly today)
    {
        var tracker = await LoadAsync("""{"habits": {}}""");
        if (tracker["habits"]![name] is not { } habit)
        {
            return 0;
        }
        var streak = 0;
        var current = today;
        foreach (var date in habit["completed_dates"]!.AsArray().Select(d => d!.GetValue<string>()).OrderDescending(StringComparer.Ordinal))
        {
            if (date != current.ToString("O", CultureInfo.InvariantCulture))
            {
                break;
            }
            streak++;
            current = current.AddDays(-1);
        }
        return streak;
    }
}

internal sealed class Leaderboard(HttpClient client, string board) : SeedApp(client, $"leaderboard-{board}", "shared")
{
    public async Task AddScoreAsync(string user, int points)
    {
        var value = await LoadAsync("""{"scores": []}""");
        var scores = value["scores"]!.AsArray();
        if (scores.FirstOrDefault(s => s!["name"]!.GetValue<string>() == user) is { } entry)
        {
            entry["points"] = entry["points"]!.GetValue<int>() + points;
        }
        else
        {
            scores.Add(new JsonObject { ["name"] = user, ["points"] = points });
        }
        var sorted = scores.Select(s => s!.DeepClone()).OrderByDescending(s => s["points"]!.GetValue<int>()).ToArray();
        value["scores"] = new JsonArray(sorted);
        await SaveAsync(value);
    }

    public async Task<IReadOnlyList<(string Name, int Points)>> TopAsync(int count) =>
        (await LoadAsync("""{"scores": []}"""))["scores"]!.AsArray().Take(count)
            .Select(s => (s!["name"]!.GetValue<string>(), s["points"]!.GetValue<int>())).ToList();

    public async Task<int> RankAsync(string user)
    {
        var scores = (await LoadAsync("""{"scores": []}"""))["scores"]!.AsArray();
        var index = scores.Select(s => s!["name"]!.GetValue<string>()).ToList().IndexOf(user);
        return index < 0 ? -1 : index + 1;
    }
}

internal sealed class MetricsDashboard(HttpClient client) : SeedApp(client, "metrics-dashboard", "shared")
{
    public async Task LogMetricAsync(string metric, double value, DateTime at)
    {
        var dashboard = await LoadAsync("""{"metrics": {}}""");
        var metrics = dashboard["metrics"]!.AsObject();
        var entries = metrics[metric]?.AsArray() ?? [];
        entries.Add(new JsonObject { ["timestamp"] = at.ToString("o", CultureInfo.InvariantCulture), ["value"] = value });
        // Keep only the last 100 entries per metric.
        metrics[metric] = new JsonArray(entries.Skip(Math.Max(0, entries.Count - 100)).Select(e => e!.DeepClone()).ToArray());
        await SaveAsync(dashboard);
    }

    public async Task<double?> LatestAsync(string metric) =>
        (await LoadAsync("""{"metrics": {}}"""))["metrics"]![metric]?.AsArray().LastOrDefault()?["value"]!.GetValue<double>();

    public async Task<double?> AverageAsync(string metric, TimeSpan window, DateTime now)
    {
        var entries = (await LoadAsync("""{"metrics": {}}"""))["metrics"]![metric]?.AsArray();
        var recent = entries?.Where(e => DateTime.Parse(e!["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture,
            DateTimeStyles.RoundtripKind) > now - window).Select(e => e!["value"]!.GetValue<double>()).ToList();
        return recent is { Count: > 0 } ? recent.Average() : null;
    }
}

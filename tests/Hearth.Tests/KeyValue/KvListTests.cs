using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.KeyValue;

public abstract class KvListTests(DatabaseKind kind) : HearthTest(kind)
{
    private static string[] Keys(System.Text.Json.Nodes.JsonArray items) => items.Select(i => i!["key"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task ListingIsInKeyOrderAndFiltersByPrefix()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        // Code point order: digits, upper case, "_", lower case, then é (U+00E9) and 日 (U+65E5).
        string[] keys = ["habit-tracker", "habits", "Habit", "habit-", "habit_x", "habit-2024", "日記", "été", "1st", "habiu"];
        foreach (var key in keys.Reverse())
        {
            await ada.Client.StoredAsync(key, "personal", "0");
        }
        Assert.Equal(["1st", "Habit", "habit-", "habit-2024", "habit-tracker", "habit_x", "habits", "habiu", "été", "日記"],
            Keys(await ada.Client.ListAsync("scope=personal")));
        Assert.Equal(["habit-", "habit-2024", "habit-tracker"], Keys(await ada.Client.ListAsync("scope=personal&prefix=habit-")));
        // LIKE wildcards in a prefix are plain characters.
        Assert.Equal(["habit_x"], Keys(await ada.Client.ListAsync("scope=personal&prefix=habit_")));
        Assert.Equal(["日記"], Keys(await ada.Client.ListAsync($"scope=personal&prefix={Uri.EscapeDataString("日")}")));
        Assert.Empty(await ada.Client.ListAsync("scope=personal&prefix=zzz"));
        Assert.Empty(await ada.Client.ListAsync("scope=shared"));
    }

    [Fact]
    public async Task PagesFollowTheNextCursorUntilItIsGone()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var keys = Enumerable.Range(0, 7).Select(i => $"entry-{i:D2}").ToArray();
        foreach (var key in keys)
        {
            await ada.Client.StoredAsync(key, "shared", $$"""{"n": "{{key}}"}""");
        }
        await ada.Client.StoredAsync("other", "shared", "1");

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await ada.Client.GetAsync($"/api/artifacts/list?scope=shared&prefix=entry-&limit=3&include_values=true" +
                (cursor is null ? "" : $"&cursor={cursor}"));
            var page = (await Json.ReadAsync(response, 200))!.AsArray();
            Assert.All(page, item => Assert.Equal(item!["key"]!.GetValue<string>(), item["value"]!["n"]!.GetValue<string>()));
            seen.AddRange(Keys(page));
            cursor = response.Headers.TryGetValues("X-Next-Cursor", out var values) ? values.Single() : null;
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(keys, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task AFullLastPageSendsNoCursorAndTheDefaultLimitIsAThousand()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        for (var round = 0; round < 11; round++)
        {
            var operations = Enumerable.Range(0, 100).Select(i => $$"""{"op":"store","key":"k{{round:D2}}-{{i:D3}}","scope":"personal","value":{{i}}}""");
            await Json.ReadObjectAsync(await ada.Client.BatchAsync($"[{string.Join(",", operations)}]"), 200);
        }
        var first = await ada.Client.GetAsync("/api/artifacts/list?scope=personal");
        Assert.Equal(1000, (await Json.ReadAsync(first, 200))!.AsArray().Count);
        var cursor = first.Headers.GetValues("X-Next-Cursor").Single();
        var rest = await ada.Client.GetAsync($"/api/artifacts/list?scope=personal&cursor={cursor}&limit=100");
        Assert.Equal(100, (await Json.ReadAsync(rest, 200))!.AsArray().Count);
        Assert.False(rest.Headers.Contains("X-Next-Cursor"));
    }
}

public sealed class KvListTestsOnSqlite() : KvListTests(DatabaseKind.Sqlite);
public sealed class KvListTestsOnPostgres() : KvListTests(DatabaseKind.Postgres);

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 14, journey 6 (find): the sidebar's search with Hearth's syntax (words, <c>tag:</c>, <c>folder:</c>,
/// <c>pinned:</c>, <c>archived:</c>); a result opens its chat at the message that matched; Escape gives the list back.
/// </summary>
public sealed class SearchJourneyTests : AppJourney
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task SearchFindsByWordsTagsFoldersAndFlagsAndOpensTheMatchedMessage(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        var trip = await ImportAsync(client, LongChat("Trip notes", 40, 31, "We land in Zanzibar at noon"));
        var tagged = await GalleryServer.CreateChatAsync(client, "Packing list");
        (await client.PostAsJsonAsync($"/api/v1/chats/{tagged}/tags", new { name = "travel" })).EnsureSuccessStatusCode();
        var pinned = await GalleryServer.CreateChatAsync(client, "Pinned plan");
        (await client.PostAsync($"/api/v1/chats/{pinned}/pin", null)).EnsureSuccessStatusCode();
        var archived = await GalleryServer.CreateChatAsync(client, "Old receipts");
        (await client.PostAsync($"/api/v1/chats/{archived}/archive", null)).EnsureSuccessStatusCode();
        var made = await client.PostAsJsonAsync("/api/v1/folders/", new { name = "Work" });
        made.EnsureSuccessStatusCode();
        var folder = (await made.Content.ReadFromJsonAsync<JsonObject>())!;
        var filed = await GalleryServer.CreateChatAsync(client, "Quarterly report");
        (await client.PostAsJsonAsync($"/api/v1/chats/{filed}/folder", new { folder_id = folder["id"]!.GetValue<string>() })).EnsureSuccessStatusCode();

        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#model option")).ToHaveTextAsync(["gpt-test"]);
        // Ctrl+K goes to the search box (opening the drawer on a phone).
        await page.Keyboard.PressAsync("Control+K");
        var box = page.GetByLabel("Search chats");
        await Assertions.Expect(box).ToBeFocusedAsync();
        var results = page.Locator("#search-results");

        await box.FillAsync("zanzibar noon");
        await Assertions.Expect(results.Locator("li > a")).ToHaveTextAsync(["Trip notes"]);
        await Assertions.Expect(results.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 chat matches.");
        await Assertions.Expect(page.Locator("#chat-list")).ToBeHiddenAsync();
        await AppSteps.EveryControlIsLabelledAsync(page);
        await BrowserSession.ScreenshotAsync(page, $"app-search-{width}");
        foreach (var (query, title) in new[]
        {
            ("tag:travel", "Packing list"), ("pinned:true", "Pinned plan"), ("archived:true", "Old receipts"), ("folder:work", "Quarterly report"),
        })
        {
            await box.FillAsync(query);
            await Assertions.Expect(results.Locator("li > a")).ToHaveTextAsync([title]);
        }
        await box.FillAsync("nothing like this");
        await Assertions.Expect(results.GetByRole(AriaRole.Status)).ToHaveTextAsync("No chats match.");

        // A result opens its chat scrolled to the message that matched, far down a long chat.
        await box.FillAsync("zanzibar");
        await results.GetByRole(AriaRole.Link, new() { Name = "Trip notes" }).ClickAsync();
        await BrowserSession.ArrivesAtAsync(page, $"**/chat/{trip}");
        var found = page.Locator("#messages li.found");
        await Assertions.Expect(found.Locator(".content")).ToHaveTextAsync("We land in Zanzibar at noon");
        await Assertions.Expect(found).ToBeInViewportAsync();
        await Assertions.Expect(AppSteps.Messages(page).First).Not.ToBeInViewportAsync();

        // Escape empties the box and the list is back.
        await AppSteps.ShowChatListAsync(page);
        await box.PressAsync("Escape");
        await Assertions.Expect(box).ToHaveValueAsync("");
        await Assertions.Expect(page.Locator("#chat-list")).ToBeVisibleAsync();
        await Assertions.Expect(results).ToBeHiddenAsync();
        problems.AssertNone();
    }

    /// <summary>
    /// A match on a branch other than the chat's current one: the chat opens on that branch, at the match, with its
    /// version arrows saying where it is; the chat's saved branch is left as it was.
    /// </summary>
    [Fact]
    public async Task AMatchOnAnotherBranchOpensThatBranch()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        JsonObject Message(string id, string? parent, string role, string content, params string[] children) => new()
        {
            ["id"] = id, ["parentId"] = parent, ["childrenIds"] = new JsonArray([.. children.Select(c => (JsonNode)c)]),
            ["role"] = role, ["content"] = content, ["done"] = true,
        };
        var chatId = await ImportAsync(client, new JsonObject
        {
            ["chat"] = new JsonObject
            {
                ["title"] = "Weekend",
                ["history"] = new JsonObject
                {
                    ["currentId"] = "a2",
                    ["messages"] = new JsonObject
                    {
                        ["u0"] = Message("u0", null, "user", "Where should we go?", "a1", "a2"),
                        ["a1"] = Message("a1", "u0", "assistant", "Try the tiled streets of Lisbon."),
                        ["a2"] = Message("a2", "u0", "assistant", "Porto has the best bridges."),
                    },
                },
            },
        });
        var page = await Browser.PageAsync(app.Hearth, token);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");

        await page.GetByLabel("Search chats").FillAsync("lisbon");
        await page.Locator("#search-results li[data-id] > a").ClickAsync();
        await BrowserSession.ArrivesAtAsync(page, $"**/chat/{chatId}");
        var found = page.Locator("#messages li.found");
        await Assertions.Expect(found.Locator(".content")).ToHaveTextAsync("Try the tiled streets of Lisbon.");
        await Assertions.Expect(found).ToContainTextAsync("1/2");
        var saved = await client.GetFromJsonAsync<JsonObject>($"/api/v1/chats/{chatId}");
        Assert.Equal("a2", saved!["chat"]!["history"]!["currentId"]!.GetValue<string>());
        problems.AssertNone();
    }

    /// <summary>More matches than a page of results (60): the rest come with "More results", which goes when none are left.</summary>
    [Fact]
    public async Task ResultsPastTheFirstPageComeWithMoreResults()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        var chats = new JsonArray([.. Enumerable.Range(1, 65).Select(i => (JsonNode)LongChat($"Harvest {i}", 2, 1, $"The harvest log, day {i}"))]);
        (await client.PostAsJsonAsync("/api/v1/chats/import", new JsonObject { ["chats"] = chats })).EnsureSuccessStatusCode();
        await GalleryServer.CreateChatAsync(client, "Unrelated");
        var page = await Browser.PageAsync(app.Hearth, token);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");

        await page.GetByLabel("Search chats").FillAsync("harvest");
        var results = page.Locator("#search-results");
        await Assertions.Expect(results.Locator("li[data-id]")).ToHaveCountAsync(60);
        await Assertions.Expect(results.GetByRole(AriaRole.Status)).ToHaveTextAsync("60+ chats match.");
        var more = results.GetByRole(AriaRole.Button, new() { Name = "More results" });
        await more.ClickAsync();
        await Assertions.Expect(results.Locator("li[data-id]")).ToHaveCountAsync(65);
        await Assertions.Expect(results.GetByRole(AriaRole.Status)).ToHaveTextAsync("65 chats match.");
        await Assertions.Expect(more).ToBeHiddenAsync();
        await Assertions.Expect(results.Locator("li[data-id] a").Nth(60)).ToBeFocusedAsync();
        // Each once, all of them the harvest's.
        var titles = await results.Locator("li[data-id] a").AllTextContentsAsync();
        Assert.Equal(65, titles.Distinct().Count());
        Assert.All(titles, t => Assert.StartsWith("Harvest", t.Trim(), StringComparison.Ordinal));
        problems.AssertNone();
    }

    private static async Task<string> ImportAsync(HttpClient client, JsonObject chat)
    {
        var response = await client.PostAsJsonAsync("/api/v1/chats/import", new JsonObject { ["chats"] = new JsonArray(chat) });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!.Single()!["id"]!.GetValue<string>();
    }

    /// <summary>A chat of <paramref name="count"/> messages in one line; message <paramref name="at"/> says <paramref name="text"/>.</summary>
    private static JsonObject LongChat(string title, int count, int at, string text)
    {
        var messages = new JsonObject();
        for (var i = 0; i < count; i++)
        {
            messages[$"m{i}"] = new JsonObject
            {
                ["id"] = $"m{i}", ["parentId"] = i == 0 ? null : $"m{i - 1}", ["childrenIds"] = i == count - 1 ? new JsonArray() : new JsonArray($"m{i + 1}"),
                ["role"] = i % 2 == 0 ? "user" : "assistant", ["content"] = i == at ? text : $"Line {i} of an ordinary day.\n\nMore words.", ["done"] = true,
            };
        }
        return new JsonObject
        {
            ["chat"] = new JsonObject { ["title"] = title, ["history"] = new JsonObject { ["currentId"] = $"m{count - 1}", ["messages"] = messages } },
        };
    }
}

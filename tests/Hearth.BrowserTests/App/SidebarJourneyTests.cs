using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 14, journey 3 (find and organise, first part): the sidebar lists the user's chats grouped by date, loads the
/// next page as it scrolls, opens a chat, renames one and deletes one after confirming.
/// </summary>
public sealed class SidebarJourneyTests : AppJourney
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task TheListGroupsByDatePagesAsItScrollsOpensRenamesAndDeletes(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        // 62 chats from two months ago and 3 from now: 65, more than the list's page of 60.
        var twoMonthsAgo = DateTimeOffset.UtcNow.AddDays(-60).ToUnixTimeSeconds();
        var chats = Enumerable.Range(1, 62).Select(i => Chat($"Old chat {i:D2}", twoMonthsAgo - i * 60))
            .Concat(Enumerable.Range(1, 3).Select(i => Chat($"Fresh {i}", null))).ToArray();
        (await client.PostAsJsonAsync("/api/v1/chats/import", new JsonObject { ["chats"] = new JsonArray(chats) })).EnsureSuccessStatusCode();
        var fresh2 = (await client.GetFromJsonAsync<JsonArray>("/api/v1/chats/?page=1"))!
            .Single(c => c!["title"]!.GetValue<string>() == "Fresh 2")!["id"]!.GetValue<string>();

        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");
        await AppSteps.ShowChatListAsync(page);
        var items = page.Locator("#chat-list li");
        await Assertions.Expect(items).ToHaveCountAsync(60);
        await Assertions.Expect(page.Locator("#chat-list > h2.group").First).ToHaveTextAsync("Today");
        await Assertions.Expect(page.Locator("#chat-list > h2.group").Last).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[A-Z][a-z]+ \d{4}$"));
        await BrowserSession.ScreenshotAsync(page, $"app-sidebar-{width}");
        await items.Last.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(items).ToHaveCountAsync(65);
        await Assertions.Expect(items.Last).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Old chat 62"));
        await Assertions.Expect(page.Locator("#list-end")).ToBeHiddenAsync();

        // Open one: its address, title and messages; on a phone the drawer gets out of the way.
        await page.Locator("#chat-list").GetByRole(AriaRole.Link, new() { Name = "Fresh 2" }).ClickAsync();
        await BrowserSession.ArrivesAtAsync(page, $"**/chat/{fresh2}");
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("Fresh 2");
        await Assertions.Expect(AppSteps.Messages(page)).ToHaveCountAsync(2);
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Answer to Fresh 2");
        if (AppSteps.IsPhone(page))
        {
            await Assertions.Expect(page.Locator("#sidebar")).Not.ToBeInViewportAsync();
        }

        // Rename from the chat's menu.
        await AppSteps.ShowChatListAsync(page);
        await page.Locator("#chat-list").GetByLabel("Actions for Fresh 2").ClickAsync();
        await page.Locator("#chat-list").GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
        var rename = page.Locator("#name-dialog");
        await Assertions.Expect(rename).ToBeVisibleAsync();
        await rename.GetByLabel("Title").FillAsync("Renamed chat");
        await rename.GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
        await Assertions.Expect(page.Locator("#chat-list").GetByRole(AriaRole.Link, new() { Name = "Renamed chat" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("Renamed chat");
        Assert.Equal("Renamed chat", JsonNode.Parse(await client.GetStringAsync($"/api/v1/chats/{fresh2}"))!["title"]!.GetValue<string>());

        // Delete asks first; Cancel keeps the chat.
        var delete = page.Locator("#confirm-dialog");
        await page.Locator("#chat-list").GetByLabel("Actions for Renamed chat").ClickAsync();
        await page.Locator("#chat-list").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(delete).ToContainTextAsync("Renamed chat");
        await delete.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(delete).ToBeHiddenAsync();
        await Assertions.Expect(items).ToHaveCountAsync(65);
        await page.Locator("#chat-list").GetByLabel("Actions for Renamed chat").ClickAsync();
        await page.Locator("#chat-list").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await delete.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(items).ToHaveCountAsync(64);
        await Assertions.Expect(page.Locator("#chat-list")).Not.ToContainTextAsync("Renamed chat");
        // It was the open chat: the app is back at a new one.
        await BrowserSession.ArrivesAtAsync(page, "**/");
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("New chat");
        // (Open WebUI answers a chat that is not there with 401, as Hearth does.)
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/v1/chats/{fresh2}")).StatusCode);
        Assert.Equal(64, (await client.GetFromJsonAsync<JsonArray>("/api/v1/chats/"))!.Count);
        // Its old address says so, and the reader stays signed in.
        await page.GotoAsync($"/chat/{fresh2}");
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("Chat not found");
        Assert.EndsWith($"/chat/{fresh2}", page.Url);
        problems.AssertNone("status of 401");
    }

    private static JsonObject Chat(string title, long? updatedAt) => new()
    {
        ["chat"] = new JsonObject
        {
            ["title"] = title,
            ["history"] = new JsonObject
            {
                ["currentId"] = "a0",
                ["messages"] = new JsonObject
                {
                    ["u0"] = new JsonObject { ["id"] = "u0", ["parentId"] = null, ["childrenIds"] = new JsonArray("a0"), ["role"] = "user", ["content"] = "Question " + title },
                    ["a0"] = new JsonObject { ["id"] = "a0", ["parentId"] = "u0", ["childrenIds"] = new JsonArray(), ["role"] = "assistant", ["content"] = "Answer to " + title, ["done"] = true },
                },
            },
        },
        ["created_at"] = updatedAt,
        ["updated_at"] = updatedAt,
    };
}

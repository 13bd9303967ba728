using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 14, journey 3 (long chats and long lists): a chat of hundreds of messages draws its last 50, then earlier ones a
/// page at a time as the reader scrolls up (or presses "Show earlier messages"), and down to a search's match at once;
/// the sidebar lists every chat however fast the reader scrolls to its end, and the menu of its last chat works.
/// How fast they are at 2,000 messages and 10,000 chats is the app benchmark's (README, Benchmark).
/// </summary>
public sealed class LongListJourneyTests : AppJourney
{
    private const int Length = 130;

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task ALongChatDrawsItsLastMessagesThenEarlierOnesAsTheReaderScrollsUp(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        var id = await ImportLongChatAsync(client);

        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        var problems = new PageProblems(page);
        await page.GotoAsync($"/chat/{id}");
        var drawn = AppSteps.Messages(page);
        await Assertions.Expect(drawn).ToHaveCountAsync(50);
        await Assertions.Expect(drawn.First).ToHaveAttributeAsync("data-id", "m80");
        await Assertions.Expect(drawn.Last).ToBeInViewportAsync();
        var earlier = page.GetByRole(AriaRole.Button, new() { Name = "Show earlier messages (80 more)" });
        await Assertions.Expect(earlier).Not.ToBeInViewportAsync();

        // Scrolled up to the first message drawn, the page before it is drawn above, and the reader stays where they were.
        var m80 = page.Locator("#messages > li[data-id='m80']");
        await m80.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(drawn).ToHaveCountAsync(100);
        await Assertions.Expect(drawn.First).ToHaveAttributeAsync("data-id", "m30");
        await Assertions.Expect(m80).ToBeInViewportAsync();
        await BrowserSession.ScreenshotAsync(page, $"app-long-chat-{width}");

        // Its button draws them too (clicked here without scrolling, which would draw them anyway).
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Show earlier messages (30 more)" })).ToBeAttachedAsync();
        await page.Locator("#earlier").DispatchEventAsync("click");
        await Assertions.Expect(drawn).ToHaveCountAsync(Length);
        await Assertions.Expect(page.Locator("#earlier")).ToBeHiddenAsync();
        await Assertions.Expect(drawn.First.Locator(".content")).ToHaveTextAsync("Message 0");
        problems.AssertNone();
    }

    [Fact]
    public async Task ASearchMatchAmongTheUndrawnMessagesIsDrawnAndShown()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        await ImportLongChatAsync(client);

        var page = await Browser.PageAsync(app.Hearth, token);
        await page.GotoAsync("/");
        await AppSteps.ReadyAsync(page);
        await page.GetByLabel("Search chats").FillAsync("zanzibar");
        await page.Locator("#search-results").GetByRole(AriaRole.Link, new() { Name = "Long trip" }).ClickAsync();
        var found = page.Locator("#messages li.found");
        await Assertions.Expect(found).ToHaveAttributeAsync("data-id", "m3");
        await Assertions.Expect(found).ToBeInViewportAsync();
        // Drawn down to it (and the three above it too, once it is in view near the top).
        Assert.True(await AppSteps.Messages(page).CountAsync() >= Length - 3);
    }

    [Fact]
    public async Task TheSidebarListsEveryChatHoweverFastItIsScrolledAndItsLastChatsMenuWorks()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        var start = DateTimeOffset.UtcNow.AddDays(-90).ToUnixTimeSeconds();
        var chats = Enumerable.Range(0, 200).Select(i => ShortChat($"Listed {i:D3}", start - i * 600)).ToArray();
        (await client.PostAsJsonAsync("/api/v1/chats/import", new JsonObject { ["chats"] = new JsonArray(chats) })).EnsureSuccessStatusCode();

        var page = await Browser.PageAsync(app.Hearth, token);
        await page.GotoAsync("/");
        await AppSteps.ReadyAsync(page);
        var items = page.Locator("#chat-list li[data-id]");
        await Assertions.Expect(items.First).ToBeVisibleAsync();
        // Back at the end in the very frame each page is drawn: an observer that reports only changes would see none.
        await page.EvaluateAsync("""
            async () => {
              const sidebar = document.querySelector('.sidebar');
              const end = document.getElementById('list-end');
              const give = performance.now() + 30000;
              while (end.dataset.complete !== 'true' && performance.now() < give) {
                sidebar.scrollTop = sidebar.scrollHeight;
                await new Promise(resolve => requestAnimationFrame(resolve));
              }
            }
            """);
        await Assertions.Expect(items).ToHaveCountAsync(200);
        await Assertions.Expect(items.Last.Locator(":scope > a")).ToHaveTextAsync("Listed 199");

        // The last chat's menu opens below it, past its own box: its last button takes the click.
        await page.Locator("#chat-list").GetByLabel("Actions for Listed 199", new() { Exact = true }).ClickAsync();
        await page.Locator("#chat-list details[open]").GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await page.Locator("#confirm-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(items).ToHaveCountAsync(199);
        Assert.DoesNotContain((await client.GetFromJsonAsync<JsonArray>("/api/v1/chats/?page=4"))!, c => c!["title"]!.GetValue<string>() == "Listed 199");
    }

    /// <summary>A chat of <see cref="Length"/> messages on one branch (m0 … m129), its fourth message about Zanzibar.</summary>
    private static async Task<string> ImportLongChatAsync(HttpClient client)
    {
        var messages = new JsonObject();
        for (var i = 0; i < Length; i++)
        {
            messages[$"m{i}"] = new JsonObject
            {
                ["id"] = $"m{i}", ["parentId"] = i == 0 ? null : $"m{i - 1}", ["childrenIds"] = i == Length - 1 ? new JsonArray() : new JsonArray($"m{i + 1}"),
                ["role"] = i % 2 == 0 ? "user" : "assistant", ["content"] = i == 3 ? "We land in Zanzibar at noon" : $"Message {i}", ["done"] = true,
            };
        }
        var chat = new JsonObject
        {
            ["chat"] = new JsonObject { ["title"] = "Long trip", ["history"] = new JsonObject { ["currentId"] = $"m{Length - 1}", ["messages"] = messages } },
        };
        (await client.PostAsJsonAsync("/api/v1/chats/import", new JsonObject { ["chats"] = new JsonArray(chat) })).EnsureSuccessStatusCode();
        return (await client.GetFromJsonAsync<JsonArray>("/api/v1/chats/"))!.Single(c => c!["title"]!.GetValue<string>() == "Long trip")!["id"]!.GetValue<string>();
    }

    private static JsonObject ShortChat(string title, long updatedAt) => new()
    {
        ["chat"] = new JsonObject
        {
            ["title"] = title,
            ["history"] = new JsonObject
            {
                ["currentId"] = "a0",
                ["messages"] = new JsonObject
                {
                    ["a0"] = new JsonObject { ["id"] = "a0", ["parentId"] = null, ["childrenIds"] = new JsonArray(), ["role"] = "assistant", ["content"] = title, ["done"] = true },
                },
            },
        },
        ["created_at"] = updatedAt,
        ["updated_at"] = updatedAt,
    };
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 14, journeys 6 (tags) and 3 (message actions): tags added and removed in the chat's header, listed in the
/// sidebar, where one filters the chats through search; a message copied, and deleted with its replies after asking.
/// </summary>
public sealed class TagAndMessageJourneyTests : AppJourney
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task TagsAreAddedShownAndFilteredAndMessagesCopiedAndDeleted(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        var alpha = await GalleryServer.CreateChatAsync(client, "Alpha");
        await GalleryServer.CreateChatAsync(client, "Beta");
        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var problems = new PageProblems(page);
        await page.GotoAsync($"/chat/{alpha}");
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("Alpha");

        // Tags in the header: Enter adds, × removes; the sidebar lists them.
        var newTag = page.GetByLabel("Add a tag");
        await newTag.FillAsync("Travel plans");
        await newTag.PressAsync("Enter");
        await newTag.FillAsync("urgent");
        await newTag.PressAsync("Enter");
        var chips = page.Locator("#chat-tags li > span");
        await Assertions.Expect(chips).ToHaveTextAsync(["Travel plans", "urgent"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove tag urgent" }).ClickAsync();
        await Assertions.Expect(chips).ToHaveTextAsync(["Travel plans"]);
        var tags = JsonNode.Parse(await client.GetStringAsync($"/api/v1/chats/{alpha}/tags"))!.AsArray();
        Assert.Equal("travel_plans", tags.Single()!["id"]!.GetValue<string>());
        await AppSteps.EveryControlIsLabelledAsync(page);
        await BrowserSession.ScreenshotAsync(page, $"app-tags-{width}");

        // The sidebar's tag button filters through search.
        await AppSteps.ShowChatListAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Chats tagged Travel plans" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Search chats")).ToHaveValueAsync("tag:travel_plans");
        await Assertions.Expect(page.Locator("#search-results li > a")).ToHaveTextAsync(["Alpha"]);
        await page.GetByLabel("Search chats").PressAsync("Escape");
        await page.GetByLabel("Search chats").PressAsync("Escape");

        // Copy a message's text; delete the question, which takes its reply with it, after asking.
        await page.GotoAsync($"/chat/{alpha}");
        var question = page.Locator("#messages li.role-user");
        await question.GetByRole(AriaRole.Button, new() { Name = "Copy message" }).ClickAsync();
        Assert.Equal("Plot the **sales** please", await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await question.GetByRole(AriaRole.Button, new() { Name = "Delete message" }).ClickAsync();
        var confirm = page.Locator("#confirm-dialog");
        await Assertions.Expect(confirm).ToContainTextAsync("every reply below it");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(AppSteps.Messages(page)).ToHaveCountAsync(2);
        await AppSteps.LastReply(page).GetByRole(AriaRole.Button, new() { Name = "Delete message" }).ClickAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(AppSteps.Messages(page)).ToHaveCountAsync(1);
        await question.GetByRole(AriaRole.Button, new() { Name = "Delete message" }).ClickAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(AppSteps.Messages(page)).ToHaveCountAsync(0);
        var stored = JsonNode.Parse(await client.GetStringAsync($"/api/v1/chats/{alpha}"))!;
        Assert.Empty(stored["chat"]!["history"]!["messages"]!.AsObject());
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("Alpha");
        await Assertions.Expect(AppSteps.Messages(page)).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#chat-tags li > span")).ToHaveTextAsync(["Travel plans"]);
        problems.AssertNone();
    }
}

using System.Text.Json.Nodes;
using Hearth.Tests.Completions;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 14, journey 4 (branches): editing a sent message starts a new branch, Regenerate adds a sibling reply,
/// ‹ n/m › moves between versions, only the current branch is drawn, and the choice survives a reload.
/// </summary>
public sealed class BranchJourneyTests : AppJourney
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task EditsBranchRegenerateAddsSiblingsAndTheChosenBranchIsKept(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#model option")).ToHaveTextAsync(["gpt-test"]);

        app.Model.Enqueue(new Script(["Red"]));
        await AppSteps.SendAsync(page, "Name a colour");
        await BrowserSession.ArrivesAtAsync(page, "**/chat/*");
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Red");
        await AppSteps.ReplyEndsAsync(page);
        var chatId = page.Url.Split('/').Last();

        // Edit: a new user message beside the first, with its own reply.
        var user = page.Locator("#messages li.role-user");
        app.Model.Enqueue(new Script(["Apple"]));
        await user.GetByRole(AriaRole.Button, new() { Name = "Edit message" }).ClickAsync();
        await user.GetByLabel("Edit message").FillAsync("Name a fruit");
        await user.GetByRole(AriaRole.Button, new() { Name = "Send the edited message" }).ClickAsync();
        await Assertions.Expect(user.Locator(".content")).ToHaveTextAsync("Name a fruit");
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Apple");
        await AppSteps.ReplyEndsAsync(page);
        await Assertions.Expect(user.Locator(".version")).ToHaveTextAsync("2/2");
        await Assertions.Expect(AppSteps.Messages(page)).ToHaveCountAsync(2);

        // Back to the first version: its own reply comes with it.
        await user.GetByRole(AriaRole.Button, new() { Name = "Previous version" }).ClickAsync();
        await Assertions.Expect(user.Locator(".content")).ToHaveTextAsync("Name a colour");
        await Assertions.Expect(user.Locator(".version")).ToHaveTextAsync("1/2");
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Red");

        // Regenerate: a sibling reply to the same message.
        app.Model.Enqueue(new Script(["Blue"]));
        await AppSteps.LastReply(page).GetByRole(AriaRole.Button, new() { Name = "Regenerate reply" }).ClickAsync();
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Blue");
        await AppSteps.ReplyEndsAsync(page);
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".version")).ToHaveTextAsync("2/2");
        await AppSteps.LastReply(page).GetByRole(AriaRole.Button, new() { Name = "Previous version" }).ClickAsync();
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Red");
        await AppSteps.LastReply(page).GetByRole(AriaRole.Button, new() { Name = "Next version" }).ClickAsync();
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Blue");
        // Three replies and two questions are stored; only the current branch is drawn.
        await Assertions.Expect(AppSteps.Messages(page)).ToHaveCountAsync(2);
        await BrowserSession.ScreenshotAsync(page, $"app-branches-{width}");

        // The chosen branch is the chat's: a reload shows it, and a switch after the reload is kept too.
        await page.ReloadAsync();
        await Assertions.Expect(user.Locator(".content")).ToHaveTextAsync("Name a colour");
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Blue");
        await user.GetByRole(AriaRole.Button, new() { Name = "Next version" }).ClickAsync();
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Apple");
        var stored = await WaitForCurrentAsync(client, chatId, "Apple");
        var roles = stored["chat"]!["history"]!["messages"]!.AsObject().Select(m => m.Value!["role"]!.GetValue<string>()).ToList();
        Assert.Equal(2, roles.Count(r => r == "user"));
        Assert.Equal(3, roles.Count(r => r == "assistant"));
        await page.ReloadAsync();
        await Assertions.Expect(user.Locator(".content")).ToHaveTextAsync("Name a fruit");
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Apple");
        await Assertions.Expect(user.Locator(".version")).ToHaveTextAsync("2/2");
        problems.AssertNone();
    }

    /// <summary>The chat as stored once its current message is the reply <paramref name="content"/> (the save follows the click).</summary>
    private static async Task<JsonNode> WaitForCurrentAsync(HttpClient client, string chatId, string content)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var chat = JsonNode.Parse(await client.GetStringAsync($"/api/v1/chats/{chatId}"))!;
            var history = chat["chat"]!["history"]!;
            var current = history["messages"]![history["currentId"]!.GetValue<string>()]!;
            if (current["content"]!.GetValue<string>() == content)
            {
                return chat;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The current message stayed '{current["content"]}'");
            await Task.Delay(100);
        }
    }
}

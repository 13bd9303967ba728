using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 14, journey 6 (organise, the per-chat menu) and 7 (share): pin and unpin, archive with the archived view
/// (unarchive, delete), clone, download as Markdown and JSON, and a share link made, copied, opened, updated and
/// revoked, from the sidebar's menu and the chat header's.
/// </summary>
public sealed class ChatMenuJourneyTests : AppJourney
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task PinArchiveCloneDownloadAndShareFromTheChatMenus(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        var alpha = await GalleryServer.CreateChatAsync(client, "Alpha");
        await GalleryServer.CreateChatAsync(client, "Beta");
        var gamma = await GalleryServer.CreateChatAsync(client, "Gamma");
        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var problems = new PageProblems(page);
        await page.GotoAsync($"/chat/{alpha}");
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("Alpha");
        var list = page.Locator("#chat-list");

        // Pin from the sidebar: Beta moves to a Pinned section at the top; unpin from the header puts it back.
        await AppSteps.SidebarMenuAsync(page, "Beta", "Pin");
        await Assertions.Expect(list.Locator(":scope > h2.group").First).ToHaveTextAsync("Pinned");
        await Assertions.Expect(list.Locator("ul").First.Locator("li > a")).ToHaveTextAsync(["Beta"]);
        Assert.Single((await client.GetFromJsonAsync<JsonArray>("/api/v1/chats/pinned"))!);
        await AppSteps.EveryControlIsLabelledAsync(page);
        await BrowserSession.ScreenshotAsync(page, $"app-pinned-{width}");
        await list.GetByRole(AriaRole.Link, new() { Name = "Beta" }).ClickAsync();
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("Beta");
        await AppSteps.HeaderMenuAsync(page, "Unpin");
        await AppSteps.ShowChatListAsync(page);
        await Assertions.Expect(list.Locator(":scope > h2.group")).ToHaveTextAsync(["Today"]);
        Assert.Empty((await client.GetFromJsonAsync<JsonArray>("/api/v1/chats/pinned"))!);

        // Archive: out of the list, into the archived view, which unarchives and deletes (after asking).
        await AppSteps.SidebarMenuAsync(page, "Gamma", "Archive");
        await Assertions.Expect(list.GetByRole(AriaRole.Link, new() { Name = "Gamma" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Archived", Exact = true }).ClickAsync();
        var archived = page.Locator("#archived-dialog");
        await Assertions.Expect(archived.Locator("li > a")).ToHaveTextAsync(["Gamma"]);
        await BrowserSession.ScreenshotAsync(page, $"app-archived-{width}");
        await archived.GetByRole(AriaRole.Button, new() { Name = "Unarchive Gamma" }).ClickAsync();
        await Assertions.Expect(archived.Locator("#archived-empty")).ToBeVisibleAsync();
        await archived.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await AppSteps.ShowChatListAsync(page);
        await Assertions.Expect(list.GetByRole(AriaRole.Link, new() { Name = "Gamma" })).ToBeVisibleAsync();
        await AppSteps.SidebarMenuAsync(page, "Gamma", "Archive");
        await Assertions.Expect(list.GetByRole(AriaRole.Link, new() { Name = "Gamma" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Archived", Exact = true }).ClickAsync();
        await archived.GetByRole(AriaRole.Button, new() { Name = "Delete Gamma" }).ClickAsync();
        var confirm = page.Locator("#confirm-dialog");
        await Assertions.Expect(confirm).ToContainTextAsync("Gamma");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(archived.Locator("#archived-empty")).ToBeVisibleAsync();
        await archived.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/v1/chats/{gamma}")).StatusCode);

        // Clone from the header: the copy opens.
        await AppSteps.ShowChatListAsync(page);
        await list.GetByRole(AriaRole.Link, new() { Name = "Alpha" }).ClickAsync();
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("Alpha");
        await AppSteps.HeaderMenuAsync(page, "Clone");
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("Clone of Alpha");
        Assert.NotEqual(alpha, page.Url.Split('/').Last());
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Here is the chart and the report.");

        // Downloads: the current branch as Markdown, the whole chat as Open WebUI's JSON export.
        var markdown = await page.RunAndWaitForDownloadAsync(() => AppSteps.HeaderMenuAsync(page, "Download Markdown"));
        Assert.EndsWith(".md", markdown.SuggestedFilename);
        var text = await File.ReadAllTextAsync((await markdown.PathAsync())!);
        Assert.Contains("Clone of Alpha", text);
        Assert.Contains("Here is the chart and the report.", text);
        var json = await page.RunAndWaitForDownloadAsync(() => AppSteps.HeaderMenuAsync(page, "Download JSON"));
        var exported = JsonNode.Parse(await File.ReadAllTextAsync((await json.PathAsync())!))!.AsArray();
        Assert.Equal("Clone of Alpha", exported.Single()!["title"]!.GetValue<string>());
        Assert.Equal(2, exported.Single()!["chat"]!["history"]!["messages"]!.AsObject().Count);

        // Share: a link made, copied and opened; updated (the same address); revoked after asking.
        var cloneId = page.Url.Split('/').Last();
        await AppSteps.HeaderMenuAsync(page, "Share…");
        var share = page.Locator("#share-dialog");
        await Assertions.Expect(share.GetByLabel("Link")).ToBeHiddenAsync();
        await share.GetByRole(AriaRole.Button, new() { Name = "Create link" }).ClickAsync();
        await Assertions.Expect(share.GetByLabel("Link")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/s/[0-9a-f-]{36}$"));
        var link = await share.GetByLabel("Link").InputValueAsync();
        await share.GetByRole(AriaRole.Button, new() { Name = "Copy link" }).ClickAsync();
        Assert.Equal(link, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await AppSteps.EveryControlIsLabelledAsync(page);
        await BrowserSession.ScreenshotAsync(page, $"app-share-{width}");
        var shareId = link.Split('/').Last();
        Assert.Equal(shareId, JsonNode.Parse(await client.GetStringAsync($"/api/v1/chats/{cloneId}"))!["share_id"]!.GetValue<string>());
        var reader = await page.Context.NewPageAsync();
        await reader.GotoAsync(link);
        await Assertions.Expect(reader.Locator("h1")).ToHaveTextAsync("Clone of Alpha");
        await Assertions.Expect(reader.Locator(".messages")).ToContainTextAsync("Here is the chart and the report.");
        await share.GetByRole(AriaRole.Button, new() { Name = "Update link" }).ClickAsync();
        await Assertions.Expect(share.Locator("#share-note")).ToContainTextAsync("as it is now");
        await Assertions.Expect(share.GetByLabel("Link")).ToHaveValueAsync(link);
        await share.GetByRole(AriaRole.Button, new() { Name = "Revoke link" }).ClickAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(share.GetByRole(AriaRole.Button, new() { Name = "Create link" })).ToBeVisibleAsync();
        await share.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        Assert.Null(JsonNode.Parse(await client.GetStringAsync($"/api/v1/chats/{cloneId}"))!["share_id"]);
        Assert.Equal(404, (await reader.GotoAsync(link))!.Status);
        problems.AssertNone("status of 401");
    }
}

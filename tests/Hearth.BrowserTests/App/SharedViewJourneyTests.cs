using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 14, journey 7 (the shared view): the owner makes a link in the app; a user the share is given to opens
/// /s/{id} and reads the conversation with its files, someone else does not; a visitor who is not signed in is sent
/// to sign in, and reads it too while ENABLE_PUBLIC_SHARES is on; once the link is revoked it opens for nobody.
/// </summary>
public sealed class SharedViewJourneyTests : AppJourney
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task ASharedConversationOpensForItsReadersWithItsFilesUntilRevoked(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var (ada, adaToken) = await app.Hearth.SignUpAsync("Ada");
        var (_, bobToken, bobId) = await app.Hearth.AddUserAsync(ada, "Bob");
        var (_, carolToken, _) = await app.Hearth.AddUserAsync(ada, "Carol");
        var chat = await GalleryServer.CreateChatAsync(ada, "Sales analysis 2024");
        await GalleryServer.UploadAsync(ada, chat, "heatmap.png", SampleFiles.GradientPng(120, 80), "a0");
        await GalleryServer.UploadAsync(ada, chat, "data.csv", SampleFiles.Csv, "a0");

        // The owner makes the link in the app and gives it to Bob.
        var owner = await Browser.PageAsync(app.Hearth, adaToken, width, height);
        await owner.GotoAsync($"/chat/{chat}");
        await Assertions.Expect(owner.Locator("#chat-title")).ToHaveTextAsync("Sales analysis 2024");
        await AppSteps.HeaderMenuAsync(owner, "Share…");
        var dialog = owner.Locator("#share-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create link" }).ClickAsync();
        await Assertions.Expect(dialog.GetByLabel("Link")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/s/[0-9a-f-]{36}$"));
        var link = new Uri(await dialog.GetByLabel("Link").InputValueAsync()).PathAndQuery;
        (await ada.PostAsJsonAsync($"/api/v1/chats/shared/{chat}/access/update",
            new { access_grants = new[] { new { principal_type = "user", principal_id = bobId, permission = "read" } } })).EnsureSuccessStatusCode();

        var bob = await Browser.PageAsync(app.Hearth, bobToken, width, height);
        var problems = new PageProblems(bob);
        await bob.GotoAsync(link);
        await ReadsTheConversationAsync(bob);
        await BrowserSession.ScreenshotAsync(bob, $"app-shared-view-{width}");
        var download = await bob.RunAndWaitForDownloadAsync(() => bob.Locator(".attachment a", new() { HasTextString = "data.csv" }).ClickAsync());
        Assert.Equal("data.csv", download.SuggestedFilename);

        var carol = await Browser.PageAsync(app.Hearth, carolToken, width, height);
        Assert.Equal(404, (await carol.GotoAsync(link))!.Status);
        await Assertions.Expect(carol.Locator("h1")).ToHaveTextAsync("Conversation not found");

        // Not signed in: to the sign-in page, until an admin allows public links.
        var visitor = await Browser.PageAsync(app.Hearth, null, width, height);
        await visitor.GotoAsync(link);
        await BrowserSession.ArrivesAtAsync(visitor, "**/signin?next=*");
        await SetPublicSharesAsync(ada, true);
        await visitor.GotoAsync(link);
        await ReadsTheConversationAsync(visitor);
        await Assertions.Expect(visitor.Locator("#signout")).ToHaveCountAsync(0);
        var visitorDownload = await visitor.RunAndWaitForDownloadAsync(() => visitor.Locator(".attachment a", new() { HasTextString = "data.csv" }).ClickAsync());
        Assert.Equal("data.csv", visitorDownload.SuggestedFilename);
        await BrowserSession.ScreenshotAsync(visitor, $"app-shared-public-{width}");

        // Revoked in the app: the link opens for nobody.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke link" }).ClickAsync();
        await owner.Locator("#confirm-dialog").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Create link" })).ToBeVisibleAsync();
        Assert.Equal(404, (await bob.GotoAsync(link))!.Status);
        await Assertions.Expect(bob.Locator("h1")).ToHaveTextAsync("Conversation not found");
        await visitor.GotoAsync(link);
        await BrowserSession.ArrivesAtAsync(visitor, "**/signin?next=*");
        problems.AssertNone("status of 404");
    }

    private static async Task ReadsTheConversationAsync(IPage page)
    {
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sales analysis 2024");
        await Assertions.Expect(page.Locator(".shared-note")).ToHaveTextAsync("Shared conversation · read-only");
        await Assertions.Expect(page.Locator(".message.role-user strong")).ToHaveTextAsync("sales");
        var answer = page.Locator(".message.role-assistant");
        await Assertions.Expect(answer.Locator(".content")).ToHaveTextAsync("Here is the chart and the report.");
        await Assertions.Expect(answer.Locator(".attachment-name")).ToHaveTextAsync(["heatmap.png", "data.csv"]);
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('.attachment img'); return i && i.complete && i.naturalWidth === 120; }");
    }

    private static async Task SetPublicSharesAsync(HttpClient admin, bool on) =>
        (await admin.PostAsJsonAsync("/api/v1/auths/admin/config", new Dictionary<string, bool> { ["ENABLE_PUBLIC_SHARES"] = on })).EnsureSuccessStatusCode();
}

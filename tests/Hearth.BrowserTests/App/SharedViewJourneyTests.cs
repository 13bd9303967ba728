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
        // Bob is found by his name and given the link; the list is what Hearth kept.
        await Assertions.Expect(dialog.Locator("#share-people")).ToBeVisibleAsync();
        await dialog.GetByLabel("Add a person or group").FillAsync("bo");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add Bob", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog.Locator("#share-grants .user-name")).ToHaveTextAsync(["Bob"]);
        await Assertions.Expect(dialog.Locator("#share-people-note")).ToHaveTextAsync("Bob may open it now.");
        await Assertions.Expect(dialog.Locator("#share-found li")).ToHaveCountAsync(0);
        var granted = await ada.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/v1/chats/shared/{chat}/access");
        Assert.Equal([$"user {bobId} read"], granted!.Select(g => $"{g!["principal_type"]} {g["principal_id"]} {g["permission"]}"));
        await BrowserSession.ScreenshotAsync(owner, $"app-share-people-{width}");

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

    /// <summary>
    /// The share dialog gives the link to a group and to everyone signed in, and takes it back from one of them; a user
    /// without access_grants.allow_users finds nobody by name, and a grant Hearth would not keep is said, not shown.
    /// </summary>
    [Fact]
    public async Task TheShareDialogGivesTheLinkToGroupsAndEveryoneAndTakesItBack()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (ada, _) = await app.Hearth.SignUpAsync("Ada");
        var (bob, bobToken, bobId) = await app.Hearth.AddUserAsync(ada, "Bob");
        var (_, carolToken, carolId) = await app.Hearth.AddUserAsync(ada, "Carol");
        var group = (await (await ada.PostAsJsonAsync("/api/v1/groups/create", new { name = "Sales team", description = "" })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["id"]!.GetValue<string>();
        (await ada.PostAsJsonAsync($"/api/v1/groups/id/{group}/users/add", new { user_ids = new[] { bobId, carolId } })).EnsureSuccessStatusCode();
        var chat = await GalleryServer.CreateChatAsync(bob, "Pipeline review");
        var owner = await Browser.PageAsync(app.Hearth, bobToken);
        var problems = new PageProblems(owner);
        await owner.GotoAsync($"/chat/{chat}");
        await Assertions.Expect(owner.Locator("#chat-title")).ToHaveTextAsync("Pipeline review");
        await AppSteps.HeaderMenuAsync(owner, "Share…");
        var dialog = owner.Locator("#share-dialog");
        await Assertions.Expect(dialog.Locator("#share-people")).ToBeHiddenAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create link" }).ClickAsync();
        await Assertions.Expect(dialog.GetByLabel("Link")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/s/[0-9a-f-]{36}$"));
        var link = new Uri(await dialog.GetByLabel("Link").InputValueAsync()).PathAndQuery;

        // Bob's group; and, since users may not make public chat links by default, no "everyone" choice.
        await Assertions.Expect(dialog.Locator("#share-everyone-label")).ToBeHiddenAsync();
        await dialog.GetByLabel("Add a person or group").FillAsync("sales");
        await Assertions.Expect(dialog.Locator("#share-found .user-email")).ToHaveTextAsync(["Group"]);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add Sales team", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog.Locator("#share-grants .user-name")).ToHaveTextAsync(["Sales team"]);
        var carol = await Browser.PageAsync(app.Hearth, carolToken);
        await carol.GotoAsync(link);
        await Assertions.Expect(carol.Locator("h1")).ToHaveTextAsync("Pipeline review");

        // Taken back: Carol no longer opens it.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Remove Sales team", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog.Locator("#share-people-note")).ToHaveTextAsync("Sales team may no longer open it.");
        await Assertions.Expect(dialog.Locator("#share-grants li")).ToHaveCountAsync(0);
        Assert.Equal(404, (await carol.GotoAsync(link))!.Status);

        // Once the admin lets users make public links: everyone signed in.
        var permissions = (await ada.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/users/default/permissions"))!;
        permissions["sharing"]!["public_chats"] = true;
        permissions["access_grants"]!["allow_users"] = false;
        (await ada.PostAsJsonAsync("/api/v1/users/default/permissions", permissions)).EnsureSuccessStatusCode();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await AppSteps.HeaderMenuAsync(owner, "Share…");
        await dialog.GetByLabel("Everyone signed in to this Hearth").CheckAsync();
        await Assertions.Expect(dialog.Locator("#share-people-note")).ToHaveTextAsync("Everyone signed in may open it now.");
        await carol.GotoAsync(link);
        await Assertions.Expect(carol.Locator("h1")).ToHaveTextAsync("Pipeline review");
        // Without access_grants.allow_users, people are not searched: only groups match.
        await dialog.GetByLabel("Add a person or group").FillAsync("carol");
        await Assertions.Expect(dialog.Locator("#share-people-note")).ToHaveTextAsync("Nobody matches “carol”.");
        await dialog.GetByLabel("Everyone signed in to this Hearth").UncheckAsync();
        await Assertions.Expect(dialog.Locator("#share-people-note")).ToHaveTextAsync("Only those listed may open it now.");
        Assert.Equal(404, (await carol.GotoAsync(link))!.Status);
        await AppSteps.EveryControlIsLabelledAsync(owner);
        problems.AssertNone();
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

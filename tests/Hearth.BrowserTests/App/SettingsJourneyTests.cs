using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 14, journey 9 (settings): a user's theme, profile, password, API key, import and export, and leaving; an
/// admin's users, sign-up, default permissions and model connections.
/// </summary>
public sealed class SettingsJourneyTests : AppJourney
{
    /// <summary>A 1×1 PNG (a real image, so the browser can draw it into the picture's canvas).</summary>
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private static async Task<(HttpClient Client, string Token)> AddUserAsync(GalleryServer hearth, HttpClient admin, string name,
        string password = "correct horse")
    {
        var email = $"{name.ToLowerInvariant()}@example.com";
        (await admin.PostAsJsonAsync("/api/v1/auths/add", new { name, email, password, role = "user" })).EnsureSuccessStatusCode();
        using var anonymous = new HttpClient { BaseAddress = hearth.Address };
        var answer = await anonymous.PostAsJsonAsync("/api/v1/auths/signin", new { email, password });
        answer.EnsureSuccessStatusCode();
        var token = (await answer.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        var client = new HttpClient { BaseAddress = hearth.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, token);
    }

    /// <remarks>
    /// Once in CI (2026-12-05), at phone width just after signing in again, a click on Settings left the dialog shut
    /// for a minute; the cause is not found yet. The click is made again (at most three times, each from a shown chat
    /// list) until the dialog is open, and each retry is written to the test's output so the symptom stays visible.
    /// </remarks>
    private static async Task<ILocator> OpenSettingsAsync(IPage page, string tab)
    {
        var settings = page.Locator("#settings-dialog");
        for (var attempt = 1; ; attempt++)
        {
            await AppSteps.ShowChatListAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Settings", Exact = true }).ClickAsync();
            try
            {
                await Assertions.Expect(settings).ToBeVisibleAsync(new() { Timeout = 5000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                Console.WriteLine($"Settings did not open on click {attempt} ({page.ViewportSize?.Width}px wide); clicking again.");
            }
        }
        await settings.GetByRole(AriaRole.Tab, new() { Name = tab, Exact = true }).ClickAsync();
        return settings;
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task AUserSetsThemeProfilePasswordAndApiKeyMovesChatsAndLeaves(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var (admin, _) = await app.Hearth.SignUpAsync("Ada");
        var (bob, token) = await AddUserAsync(app.Hearth, admin, "Bob");
        await GalleryServer.CreateChatAsync(bob, "Alpha");
        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");
        var html = page.Locator("html");
        await Assertions.Expect(html).ToHaveAttributeAsync("data-theme", "system");

        // Theme: dark at once, kept in the user's settings, drawn by the server after a reload.
        var settings = await OpenSettingsAsync(page, "General");
        await Assertions.Expect(settings.GetByRole(AriaRole.Tab, new() { Name = "Users" })).ToHaveCountAsync(0);
        await settings.GetByLabel("Dark").CheckAsync();
        await Assertions.Expect(html).ToHaveAttributeAsync("data-theme", "dark");
        await Assertions.Expect(settings.Locator("#theme-note")).ToHaveTextAsync("Saved.");
        await page.ReloadAsync();
        await Assertions.Expect(html).ToHaveAttributeAsync("data-theme", "dark");
        settings = await OpenSettingsAsync(page, "General");
        await Assertions.Expect(settings.GetByLabel("Dark")).ToBeCheckedAsync();
        await BrowserSession.ScreenshotAsync(page, $"app-settings-dark-{width}");
        // Every page of Hearth follows it: the gallery is drawn dark too, from its first paint.
        var gallery = await page.Context.NewPageAsync();
        await gallery.GotoAsync("/artifacts");
        await Assertions.Expect(gallery.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        Assert.Equal("rgb(22, 24, 28)", await gallery.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        await BrowserSession.ScreenshotAsync(gallery, $"gallery-dark-{width}");
        await gallery.CloseAsync();

        // Profile: a new name and picture.
        await settings.GetByRole(AriaRole.Tab, new() { Name = "Account" }).ClickAsync();
        var name = settings.GetByLabel("Name", new() { Exact = true });
        await Assertions.Expect(name).ToHaveValueAsync("Bob");
        await name.FillAsync("Robert");
        await settings.GetByLabel("Choose a picture").SetInputFilesAsync(new FilePayload { Name = "me.png", MimeType = "image/png", Buffer = Png });
        await Assertions.Expect(settings.GetByAltText("Your picture")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^data:image/jpeg;base64,"));
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();
        await Assertions.Expect(settings.Locator("#profile-note")).ToHaveTextAsync("Profile saved.");
        var me = (await bob.GetFromJsonAsync<JsonObject>("/api/v1/auths/"))!;
        Assert.Equal("Robert", me["name"]!.GetValue<string>());
        Assert.StartsWith("data:image/jpeg;base64,", me["profile_image_url"]!.GetValue<string>());
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("Robert");

        // Password: the two new ones must agree; then it changes.
        await settings.GetByLabel("Current password").FillAsync("correct horse");
        await settings.GetByLabel("New password", new() { Exact = true }).FillAsync("a new passphrase");
        await settings.GetByLabel("New password again").FillAsync("a new passphrase!");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(settings.Locator("#password-note")).ToHaveTextAsync("The two new passwords differ.");
        await settings.GetByLabel("New password again").FillAsync("a new passphrase");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(settings.Locator("#password-note")).ToHaveTextAsync("Password changed.");
        await AppSteps.EveryControlIsLabelledAsync(page);
        await BrowserSession.ScreenshotAsync(page, $"app-settings-account-{width}");

        // API key: shown once, works as a bearer key, then deleted.
        await settings.GetByRole(AriaRole.Tab, new() { Name = "API key" }).ClickAsync();
        await Assertions.Expect(settings.Locator("#key-state")).ToHaveTextAsync("You have no API key.");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var shown = settings.GetByLabel("Your new key");
        await Assertions.Expect(shown).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^sk-"));
        var key = await shown.InputValueAsync();
        await settings.GetByRole(AriaRole.Button, new() { Name = "Copy key" }).ClickAsync();
        Assert.Equal(key, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await AppSteps.EveryControlIsLabelledAsync(page);
        await BrowserSession.ScreenshotAsync(page, $"app-settings-key-{width}");
        using var program = new HttpClient { BaseAddress = app.Hearth.Address };
        program.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        // A user sees only the models granted to them (none here): the key is let in and answers as Bob.
        Assert.Equal("list", (await program.GetFromJsonAsync<JsonObject>("/api/models"))!["object"]!.GetValue<string>());
        Assert.Equal("bob@example.com", (await program.GetFromJsonAsync<JsonObject>("/api/v1/auths/"))!["email"]!.GetValue<string>());
        await settings.GetByRole(AriaRole.Tab, new() { Name = "General" }).ClickAsync();
        await settings.GetByRole(AriaRole.Tab, new() { Name = "API key" }).ClickAsync();
        await Assertions.Expect(shown).ToBeHiddenAsync();
        await Assertions.Expect(settings.Locator("#key-state")).ToContainTextAsync("Your key: sk-");
        Assert.DoesNotContain(key, await settings.Locator("#key-state").TextContentAsync());
        await settings.GetByRole(AriaRole.Button, new() { Name = "Delete key" }).ClickAsync();
        await page.Locator("#confirm-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(settings.Locator("#key-state")).ToHaveTextAsync("You have no API key.");
        Assert.Equal(HttpStatusCode.Unauthorized, (await program.GetAsync("/api/models")).StatusCode);

        // Export every chat, and import that export back (with progress, then a summary); the sidebar shows both.
        await settings.GetByRole(AriaRole.Tab, new() { Name = "Import and export" }).ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => settings.GetByRole(AriaRole.Link, new() { Name = "Export all chats" }).ClickAsync());
        var exported = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal(["Alpha"], JsonNode.Parse(exported)!.AsArray().Select(c => c!["title"]!.GetValue<string>()));
        await settings.GetByLabel("Export file").SetInputFilesAsync(new FilePayload { Name = download.SuggestedFilename, MimeType = "application/json", Buffer = exported });
        await settings.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
        await Assertions.Expect(settings.Locator("#import-note")).ToHaveTextAsync("Imported 1 chat.");
        await BrowserSession.ScreenshotAsync(page, $"app-settings-import-{width}");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Close settings" }).ClickAsync();
        await AppSteps.ShowChatListAsync(page);
        await Assertions.Expect(page.Locator("#chat-list").GetByRole(AriaRole.Link, new() { Name = "Alpha" })).ToHaveCountAsync(2);

        // Sign in again with the new password, then leave: everything is downloaded first, then the password and a
        // confirmation delete the account.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await BrowserSession.ArrivesAtAsync(page, "**/signin");
        await page.GetByLabel("E-mail").FillAsync("bob@example.com");
        await page.GetByLabel("Password").FillAsync("a new passphrase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Message", new() { Exact = true })).ToBeVisibleAsync();
        settings = await OpenSettingsAsync(page, "Account");
        await settings.GetByLabel("Password", new() { Exact = true }).FillAsync("a new passphrase");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Delete my account…" }).ClickAsync();
        var confirm = page.Locator("#confirm-dialog");
        await Assertions.Expect(confirm).ToContainTextAsync("cannot be undone");
        Assert.True(await settings.GetByLabel("First download everything of mine", new() { Exact = false }).IsCheckedAsync());
        var everything = await page.RunAndWaitForDownloadAsync(() =>
            confirm.GetByRole(AriaRole.Button, new() { Name = "Delete my account" }).ClickAsync());
        Assert.StartsWith("hearth-export-", everything.SuggestedFilename);
        using (var zip = new System.IO.Compression.ZipArchive(File.OpenRead(await everything.PathAsync())))
        using (var chats = new StreamReader(zip.GetEntry("chats.json")!.Open()))
        {
            var titles = JsonNode.Parse(await chats.ReadToEndAsync())!.AsArray().Select(c => c!["title"]!.GetValue<string>());
            Assert.Equal(2, titles.Count(t => t == "Alpha"));
        }
        await Assertions.Expect(settings.Locator("#leave-note")).ToContainTextAsync("Your account and everything of yours are deleted.");
        await settings.GetByRole(AriaRole.Link, new() { Name = "Sign-in page" }).ClickAsync();
        await BrowserSession.ArrivesAtAsync(page, "**/signin");
        var users = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/users/"))!["users"]!.AsArray();
        Assert.Equal(["Ada"], users.Select(u => u!["name"]!.GetValue<string>()));
        problems.AssertNone("status of 401", "status of 404");
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task AnAdminManagesUsersSignUpAndPermissionsAndSeesTheConnections(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync(settings: new() { ["OLLAMA_BASE_URLS"] = "http://127.0.0.1:1" });
        var (admin, token) = await app.Hearth.SignUpAsync("Ada");
        await AddUserAsync(app.Hearth, admin, "Carol");
        await AddUserAsync(app.Hearth, admin, "Dave");
        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");

        // Users: listed, searched, one added, a role changed, one deleted after a confirmation.
        var settings = await OpenSettingsAsync(page, "Users");
        var users = settings.Locator("#user-list .user-name");
        await Assertions.Expect(users).ToHaveTextAsync(["Ada", "Carol", "Dave"]);
        await settings.GetByLabel("Search users").FillAsync("car");
        await Assertions.Expect(users).ToHaveTextAsync(["Carol"]);
        await settings.GetByLabel("Search users").FillAsync("");
        await Assertions.Expect(users).ToHaveTextAsync(["Ada", "Carol", "Dave"]);
        var add = settings.Locator("#add-user-form");
        await add.GetByLabel("Name", new() { Exact = true }).FillAsync("Erin");
        await add.GetByLabel("Email").FillAsync("erin@example.com");
        await add.GetByLabel("Password", new() { Exact = true }).FillAsync("correct horse");
        await add.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Assertions.Expect(settings.Locator("#add-note")).ToHaveTextAsync("Erin was added.");
        await Assertions.Expect(users).ToHaveTextAsync(["Ada", "Carol", "Dave", "Erin"]);
        await settings.GetByLabel("Role of Carol").SelectOptionAsync("admin");
        await Assertions.Expect(settings.Locator("#users-note")).ToHaveTextAsync("Carol is now admin.");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Delete Dave" }).ClickAsync();
        await page.Locator("#confirm-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(users).ToHaveTextAsync(["Ada", "Carol", "Erin"]);
        var listed = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/users/?order_by=name&direction=asc"))!["users"]!.AsArray();
        Assert.Equal(["Ada admin", "Carol admin", "Erin user"], listed.Select(u => $"{u!["name"]} {u["role"]}"));
        await AppSteps.EveryControlIsLabelledAsync(page);
        await BrowserSession.ScreenshotAsync(page, $"app-settings-users-{width}");

        // Sign-up and permissions; the arrow keys move between the tabs.
        await settings.GetByRole(AriaRole.Tab, new() { Name = "Users" }).FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(settings.GetByRole(AriaRole.Tab, new() { Name = "Sign-up and permissions" })).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(settings.Locator("#permission-fields fieldset").First).ToBeVisibleAsync();
        await settings.GetByLabel("Anyone who reaches Hearth may sign up").CheckAsync();
        await settings.GetByLabel("Role of new accounts").SelectOptionAsync("user");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save sign-up" }).ClickAsync();
        await Assertions.Expect(settings.Locator("#signup-note")).ToHaveTextAsync("Saved: sign-up is open, new accounts are user.");
        var config = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/auths/admin/config"))!;
        Assert.True(config["ENABLE_SIGNUP"]!.GetValue<bool>());
        Assert.Equal("user", config["DEFAULT_USER_ROLE"]!.GetValue<string>());
        var apiKeys = settings.Locator("#permission-fields fieldset", new() { Has = page.GetByText("Features", new() { Exact = true }) }).GetByLabel("Api keys");
        await Assertions.Expect(apiKeys).ToBeCheckedAsync();
        await apiKeys.UncheckAsync();
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save permissions" }).ClickAsync();
        await Assertions.Expect(settings.Locator("#permissions-note")).ToHaveTextAsync("Default permissions saved.");
        var permissions = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/users/default/permissions"))!;
        Assert.False(permissions["features"]!["api_keys"]!.GetValue<bool>());
        Assert.True(permissions["chat"]!["delete"]!.GetValue<bool>());
        await AppSteps.EveryControlIsLabelledAsync(page);
        await BrowserSession.ScreenshotAsync(page, $"app-settings-signup-{width}");

        // Connections: the scripted model server answers, the Ollama address does not.
        await settings.GetByRole(AriaRole.Tab, new() { Name = "Connections" }).ClickAsync();
        var connections = settings.Locator("#connection-list li");
        await Assertions.Expect(connections).ToHaveCountAsync(2);
        await Assertions.Expect(connections.Nth(0)).ToContainTextAsync("Answering: 1 model");
        await Assertions.Expect(connections.Nth(1)).ToContainTextAsync("Not answering");
        await Assertions.Expect(connections.Nth(1)).ToHaveClassAsync("down");
        await BrowserSession.ScreenshotAsync(page, $"app-settings-connections-{width}");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(settings).ToBeHiddenAsync();
        problems.AssertNone();
    }
}

using System.Net;
using System.Net.Http.Json;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.ArtifactFiles.ArtifactUploads;

namespace Hearth.Tests.Pages;

/// <summary>
/// Every page drawn by a Razor slice gets what users wrote (names, titles, model names, file contents, a
/// return path) with markup in every place it can reach: text, attributes, the preview's pre block. None of it may come
/// back as markup. Encoding does not depend on the database, so this runs once, on SQLite.
/// </summary>
public sealed class PageEncodingTests
{
    private const string Hostile = "\"'><script>alert(1)</script><img src=x onerror=alert(2)>";

    [Fact]
    public async Task WhatUsersWroteComesBackAsTextOnEveryPage()
    {
        await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        var ada = await app.SignUpAsync(Hostile, "ada@example.com");
        var added = await ada.Client.PostAsJsonAsync("/api/v1/auths/add",
            new { name = "Pending" + Hostile, email = "pending@example.com", password = "correct horse", role = "pending" });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var pending = await app.SignInAsync("pending@example.com", "correct horse");
        var chat = await ChatDocs.CreateAsync(ada, ChatDocs.Conversation(Hostile, model: Hostile));
        var chatId = chat["id"]!.GetValue<string>();
        // File names lose markup characters on upload (FileNames), so the contents carry it to the previews.
        var text = Id(await UploadAsync(ada, chatId, "notes.txt", "</pre>" + Hostile));
        var code = Id(await UploadAsync(ada, chatId, "x.py", "print('</code></pre>" + Hostile + "')"));

        string[] pages =
        [
            "/artifacts", "/artifacts?q=" + Uri.EscapeDataString(Hostile), "/artifacts/cards?page=1", $"/c/{chatId}",
            $"/artifacts/preview/{chatId}/{text}", $"/artifacts/preview/{chatId}/{code}",
        ];
        foreach (var page in pages)
        {
            await AssertEncodedAsync(await app.BrowserClient(ada.Token).GetAsync(page), page);
        }
        await AssertEncodedAsync(await app.BrowserClient(pending.Token).GetAsync("/"), "/ as a pending user", HttpStatusCode.Forbidden);
        await AssertEncodedAsync(await app.BrowserClient().GetAsync("/signin?next=/" + Uri.EscapeDataString(Hostile)), "/signin");
    }

    private static async Task AssertEncodedAsync(HttpResponseMessage response, string page, HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.True(response.StatusCode == status, $"{page} answered {(int)response.StatusCode}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        var html = await response.Content.ReadAsStringAsync();
        Assert.False(html.Contains("<script>alert", StringComparison.Ordinal), $"{page} let a script element through");
        Assert.False(html.Contains("<img src=x", StringComparison.Ordinal), $"{page} let an image element through");
        Assert.False(html.Contains("\"'>", StringComparison.Ordinal), $"{page} let a quote close an attribute");
        Assert.True(html.Contains("&lt;script&gt;", StringComparison.Ordinal), $"{page} does not show the text at all");
    }

}

using System.Text.Json.Nodes;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.ArtifactFiles.ArtifactUploads;

namespace Hearth.Tests.ArtifactFiles;

/// <summary>GET /api/artifacts: paging, the type filter, q and conversation_id, and bad parameters.</summary>
public abstract class ArtifactGalleryApiTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    private static async Task<JsonObject> PageAsync(TestUser user, string query) =>
        await Json.ReadObjectAsync(await user.Client.GetAsync("/api/artifacts" + query), 200);

    private static List<string> Names(JsonObject page) => page["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task TheGalleryPagesTheCallersArtifactsNewestFirstAcrossConversations()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var bob = await shared.NewUserAsync("Bob");
        var one = await ChatDocs.CreateIdAsync(ada, "One");
        var two = await ChatDocs.CreateIdAsync(ada, "Two");
        for (var i = 0; i < 5; i++)
        {
            await UploadAsync(ada, i % 2 == 0 ? one : two, $"file{i}.txt");
        }
        await UploadAsync(bob, await ChatDocs.CreateIdAsync(bob, "Bob's"), "bobs.txt");

        var first = await PageAsync(ada, "?size=2");
        Assert.Equal(["file4.txt", "file3.txt"], Names(first));
        Assert.Equal(5, first["total"]!.GetValue<long>());
        Assert.Equal(1, first["page"]!.GetValue<int>());
        Assert.Equal(2, first["size"]!.GetValue<int>());
        Assert.Equal(3, first["pages"]!.GetValue<long>());
        Assert.Equal(["items", "total", "page", "size", "pages"], first.Select(p => p.Key));
        Assert.Equal(["file0.txt"], Names(await PageAsync(ada, "?size=2&page=3")));
        Assert.Empty(Names(await PageAsync(ada, "?size=2&page=4")));
        var defaults = await PageAsync(ada, "");
        Assert.Equal(20, defaults["size"]!.GetValue<int>());
        Assert.Equal(5, Names(defaults).Count);
        Assert.Equal("Two", defaults["items"]![1]!["conversation_title"]!.GetValue<string>());
    }

    [Fact]
    public async Task EachTypeFilterReturnsItsFilesAndItsTotal()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var chat = await ChatDocs.CreateIdAsync(ada, "Mixed");
        foreach (var name in new[] { "a.png", "b.svg", "c.html", "d.py", "e.json", "f.md", "g.csv", "h.pdf", "i.bin" })
        {
            await UploadAsync(ada, chat, name);
        }
        Assert.Equal(["b.svg", "a.png"], Names(await PageAsync(ada, "?type=images")));
        Assert.Equal(["c.html"], Names(await PageAsync(ada, "?type=html")));
        Assert.Equal(["f.md", "e.json", "d.py"], Names(await PageAsync(ada, "?type=code")));
        Assert.Equal(["i.bin", "h.pdf", "g.csv"], Names(await PageAsync(ada, "?type=files")));
        Assert.Equal(9, (await PageAsync(ada, "?type=all"))["total"]!.GetValue<long>());
        Assert.Equal(3, (await PageAsync(ada, "?type=code&size=1"))["pages"]!.GetValue<long>());
    }

    [Fact]
    public async Task QMatchesNamesCaseInsensitivelyAndConversationIdNarrowsToOne()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var one = await ChatDocs.CreateIdAsync(ada, "One");
        var two = await ChatDocs.CreateIdAsync(ada, "Two");
        await UploadAsync(ada, one, "Sales Report.html");
        await UploadAsync(ada, two, "sales_chart.png");
        await UploadAsync(ada, two, "notes.txt");
        await UploadAsync(ada, two, "100%_done.txt");
        Assert.Equal(["sales_chart.png", "Sales Report.html"], Names(await PageAsync(ada, "?q=SALES")));
        Assert.Equal(["sales_chart.png"], Names(await PageAsync(ada, "?q=s_c")));
        Assert.Equal(["100%_done.txt"], Names(await PageAsync(ada, "?q=%25")));
        Assert.Equal(["100%_done.txt", "notes.txt", "sales_chart.png"], Names(await PageAsync(ada, $"?conversation_id={two}")));
        var both = await PageAsync(ada, $"?conversation_id={two}&q=sales&type=images");
        Assert.Equal(["sales_chart.png"], Names(both));
        Assert.Equal(1, both["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task TheGalleryNeedsCredentials()
    {
        var app = shared.App;
        await Json.AssertDetailAsync(await app.Client().GetAsync("/api/artifacts"), 403, "Not authenticated");
        await Json.AssertDetailAsync(await app.Client("not-a-token").GetAsync("/api/artifacts"), 401, "401 Unauthorized");
    }
}

public sealed class ArtifactGalleryApiTestsOnSqlite(SharedApp.OnSqlite shared)
    : ArtifactGalleryApiTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class ArtifactGalleryApiTestsOnPostgres(SharedApp.OnPostgres shared)
    : ArtifactGalleryApiTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;

/// <summary>
/// Bad gallery parameters are refused while binding, before any store is asked: nothing here differs by database,
/// so it runs once, on SQLite.
/// </summary>
public sealed class ArtifactGalleryParameterTests(SharedApp.OnSqlite shared) : IClassFixture<SharedApp.OnSqlite>
{
    [Theory]
    [InlineData("?page=0", "page")]
    [InlineData("?page=-1", "page")]
    [InlineData("?size=0", "size")]
    [InlineData("?size=101", "size")]
    [InlineData("?type=videos", "type")]
    [InlineData("?page=abc", "page")]
    [InlineData("?size=1.5", "size")]
    public async Task BadParametersAre422(string query, string field)
    {
        var issue = await Json.AssertValidationErrorAsync(await shared.Ada.Client.GetAsync("/api/artifacts" + query));
        Assert.Equal(["query", field], issue["loc"]!.AsArray().Select(n => n!.GetValue<string>()));
    }
}

using System.Net.Http.Json;
using Hearth.Server.ArtifactFiles;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Hearth.Tests.ArtifactFiles.ArtifactUploads;

namespace Hearth.Tests.ArtifactFiles;

/// <summary>
/// Both blob stores (the data directory, and a real S3-compatible server on loopback): bytes round-trip, and
/// every path that deletes a chat (one, all, a folder's contents, a deleted user, a retention pass) removes its files too.
/// </summary>
public abstract class ArtifactStorageTests(DatabaseKind kind, bool s3) : HearthTest(kind)
{
    private string? _endpoint;
    private string? _bucket;

    private async Task<HearthApp> StartWithStoreAsync(Dictionary<string, string?>? extra = null, TimeProvider? clock = null)
    {
        var settings = extra ?? [];
        if (s3)
        {
            (_endpoint, _bucket) = await S3Server.CreateBucketAsync();
            settings["STORAGE_PROVIDER"] = "s3";
            settings["S3_ENDPOINT_URL"] = _endpoint;
            settings["S3_BUCKET_NAME"] = _bucket;
            settings["S3_ACCESS_KEY_ID"] = S3Server.AccessKey;
            settings["S3_SECRET_ACCESS_KEY"] = S3Server.SecretKey;
            settings["S3_REGION_NAME"] = "us-east-1";
        }
        return await StartAsync(settings, clock);
    }

    /// <summary>Every stored object (files and sidecars) of the conversation, wherever the store keeps them.</summary>
    private async Task<List<string>> StoredAsync(HearthApp app, string chat)
    {
        if (s3)
        {
            return await S3Server.KeysAsync(_endpoint!, _bucket!, $"uploads/conversations/{chat}/");
        }
        var folder = ConversationFolder(app, chat);
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToList() : [];
    }

    [Fact]
    public async Task LeftoversOfUploadsCutByACrashAreRemovedAtStartUp()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var app = await StartWithStoreAsync(clock: clock);
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Crashed");
        var kept = await UploadAsync(ada, chat, "kept.txt", "kept"u8.ToArray());
        // A crash between the sidecar and the file leaves a sidecar alone; one during a disk put, a .partial file.
        var blobs = app.Services.GetRequiredService<Hearth.Server.ArtifactFiles.Blobs.IBlobStorage>();
        var orphan = Hearth.Server.ArtifactFiles.Blobs.BlobKeys.Meta(chat, Guid.CreateVersion7().ToString());
        await blobs.PutAsync(orphan, new MemoryStream("{}"u8.ToArray()), 2, "application/json", CancellationToken.None);
        var folder = Path.Combine(ConversationFolder(app, chat), "artifacts");
        var (partial, fresh) = (Path.Combine(folder, "cut.bin.1.partial"), Path.Combine(folder, "live.bin.2.partial"));
        if (!s3)
        {
            File.WriteAllText(partial, "half");
            File.WriteAllText(fresh, "being written");
        }
        var before = await StoredAsync(app, chat);
        Assert.Contains(before, k => k.EndsWith(orphan[orphan.LastIndexOf('/')..], StringComparison.Ordinal));

        // Two hours on, they are leftovers; an upload still being written (newer than an hour) is not touched.
        clock.Advance(TimeSpan.FromHours(2));
        if (!s3)
        {
            File.SetLastWriteTimeUtc(fresh, clock.GetUtcNow().UtcDateTime);
        }
        await app.RestartAsync();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await StoredAsync(app, chat)).Any(k => k.EndsWith(orphan[orphan.LastIndexOf('/')..], StringComparison.Ordinal)) || File.Exists(partial))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the leftovers are still there");
            await Task.Delay(50);
        }
        var after = await StoredAsync(app, chat);
        Assert.Equal(2 + (s3 ? 0 : 1), after.Count);
        Assert.Contains(after, k => k.EndsWith($"artifacts/{Id(kept)}.txt", StringComparison.Ordinal));
        Assert.Contains(after, k => k.EndsWith($"artifacts/.meta/{Id(kept)}.json", StringComparison.Ordinal));
        var again = await app.SignInAsync("ada@example.com", "correct horse");
        Assert.Equal("kept", await (await again.Client.GetAsync(kept["url"]!.GetValue<string>())).Content.ReadAsStringAsync());
        if (!s3)
        {
            Assert.True(File.Exists(fresh));
        }
    }

    [Fact]
    public async Task BytesRoundTripAndDeletingRemovesTheObject()
    {
        await using var app = await StartWithStoreAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Stored");
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        var item = await UploadAsync(ada, chat, "blob.bin", bytes);
        Assert.Equal(2, (await StoredAsync(app, chat)).Count); // the file and its metadata sidecar
        Assert.Contains(await StoredAsync(app, chat), k => k.EndsWith($"artifacts/{Id(item)}.bin", StringComparison.Ordinal));
        var download = await ada.Client.GetAsync(item["url"]!.GetValue<string>());
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("blob.bin", download.Content.Headers.ContentDisposition!.FileNameStar);
        await Json.ReadAsync(await ada.Client.DeleteAsync(item["url"]!.GetValue<string>()), 200);
        Assert.Empty(await StoredAsync(app, chat));
    }

    [Fact]
    public async Task DeletingAChatRemovesItsArtifactsRowsAndFiles()
    {
        await using var app = await StartWithStoreAsync();
        var ada = await app.SignUpAsync("Ada");
        var gone = await ChatDocs.CreateIdAsync(ada, "Gone");
        var kept = await ChatDocs.CreateIdAsync(ada, "Kept");
        await UploadAsync(ada, gone, "a.png", Png);
        await UploadAsync(ada, gone, "b.html", "<p>b</p>");
        await UploadAsync(ada, kept, "c.txt");
        await Json.ReadAsync(await ada.Client.DeleteAsync($"/api/v1/chats/{gone}"), 200);
        Assert.Empty(await StoredAsync(app, gone));
        Assert.Equal(2, (await StoredAsync(app, kept)).Count);
        var page = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/artifacts"), 200);
        Assert.Equal(1, page["total"]!.GetValue<long>());
        Assert.Equal("c.txt", page["items"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeletingAllChatsOrAFoldersContentsRemovesTheirFiles()
    {
        await using var app = await StartWithStoreAsync();
        var ada = await app.SignUpAsync("Ada");
        var folder = (await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/folders/", new { name = "Work" }), 200))["id"]!.GetValue<string>();
        var filed = await ChatDocs.CreateIdAsync(ada, "Filed", folderId: folder);
        var loose = await ChatDocs.CreateIdAsync(ada, "Loose");
        await UploadAsync(ada, filed, "filed.txt");
        await UploadAsync(ada, loose, "loose.txt");
        await Json.ReadAsync(await ada.Client.DeleteAsync($"/api/v1/folders/{folder}?delete_contents=true"), 200);
        Assert.Empty(await StoredAsync(app, filed));
        Assert.NotEmpty(await StoredAsync(app, loose));
        await Json.ReadAsync(await ada.Client.DeleteAsync("/api/v1/chats/"), 200);
        Assert.Empty(await StoredAsync(app, loose));
        Assert.Equal(0, (await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/artifacts"), 200))["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task DeletingAUserRemovesTheirArtifactsRowsAndFiles()
    {
        await using var app = await StartWithStoreAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var bobs = await ChatDocs.CreateIdAsync(bob, "Bob's");
        var adas = await ChatDocs.CreateIdAsync(ada, "Ada's");
        await UploadAsync(bob, bobs, "bob.png", Png);
        await UploadAsync(ada, adas, "ada.png", Png);
        await Json.ReadAsync(await ada.Client.DeleteAsync($"/api/v1/users/{bob.Id}"), 200);
        Assert.Empty(await StoredAsync(app, bobs));
        Assert.Equal(2, (await StoredAsync(app, adas)).Count);
        Assert.Equal(1, (await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/artifacts"), 200))["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task ARetentionPassRemovesTheFilesOfTheChatsItDeletes()
    {
        await using var app = await StartWithStoreAsync();
        var ada = await app.SignUpAsync("Ada");
        var old = await Retention.RetentionChats.OldChatAsync(ada, "Old", daysAgo: 40);
        var recent = await Retention.RetentionChats.OldChatAsync(ada, "Recent", daysAgo: 5);
        await UploadAsync(ada, old, "old.png", Png);
        await UploadAsync(ada, recent, "recent.png", Png);
        await Retention.RetentionChats.ConfigureAsync(ada, new { days = 30, action = "delete" });

        Assert.Equal(1, (await Retention.RetentionChats.RunAsync(ada))["deleted"]!.GetValue<int>());
        Assert.Empty(await StoredAsync(app, old));
        Assert.Equal(2, (await StoredAsync(app, recent)).Count);
    }

    [Fact]
    public async Task RowsAreRebuiltFromTheFoldersWithTheirOriginalMetadata()
    {
        await using var app = await StartWithStoreAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Rebuilt");
        var first = await UploadAsync(ada, chat, "Original Name.py", "print(1)", messageId: "a0");
        var second = await UploadAsync(ada, chat, "chart.png", Png);
        var before = await Json.ReadAsync(await ada.Client.GetAsync($"/api/conversations/{chat}/artifacts"), 200);
        var store = app.Services.GetRequiredService<ArtifactFileStore>();
        await store.DeleteRowsAsync([Id(first), Id(second)], CancellationToken.None);
        Assert.Empty((await Json.ReadAsync(await ada.Client.GetAsync($"/api/conversations/{chat}/artifacts"), 200))!.AsArray());

        var summary = await app.Services.GetRequiredService<ArtifactFileRebuilder>().RebuildAsync(null, CancellationToken.None);
        Assert.Equal(2, summary.Added);
        var after = await Json.ReadAsync(await ada.Client.GetAsync($"/api/conversations/{chat}/artifacts"), 200);
        Assert.Equal(before!.ToJsonString(), after!.ToJsonString());
        Assert.Equal(2, (await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/artifacts?type=all"), 200))["total"]!.GetValue<long>());
        Assert.Equal(0, (await app.Services.GetRequiredService<ArtifactFileRebuilder>().RebuildAsync(null, CancellationToken.None)).Added);
    }
}

public sealed class ArtifactStorageTestsOnSqlite() : ArtifactStorageTests(DatabaseKind.Sqlite, s3: false);
public sealed class ArtifactStorageTestsOnPostgres() : ArtifactStorageTests(DatabaseKind.Postgres, s3: false);
public sealed class ArtifactStorageTestsOnSqliteWithS3() : ArtifactStorageTests(DatabaseKind.Sqlite, s3: true);
public sealed class ArtifactStorageTestsOnPostgresWithS3() : ArtifactStorageTests(DatabaseKind.Postgres, s3: true);

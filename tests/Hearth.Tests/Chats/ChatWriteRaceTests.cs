using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Chats;

/// <summary>
/// Every kind of chat write at once, on one user's chats, from two Hearth processes on PostgreSQL (one on
/// SQLite): the lock order of <c>ChatChange</c> (AGENTS.md) must let every request finish without a deadlock
/// or an error, and the derived data must end in step: folders that exist, shares with their snapshots, the tag
/// index, the flat lists' references, and a default list whose remembered page starts still give the right pages.
/// Deleting all of a user's chats, then the user, while their writes still arrive leaves nothing of theirs.
/// </summary>
public abstract class ChatWriteRaceTests(DatabaseKind kind) : HearthTest(kind)
{
    private const int Workers = 8;
    private const int OperationsPerWorker = 30;

    [Fact]
    public async Task EveryKindOfChatWriteAtOnceFinishesAndLeavesDerivedDataInStep()
    {
        var (first, second) = await StartProcessesAsync();
        await using var _ = first;
        await using var __ = second;
        var ada = await first.SignUpAsync("Ada");
        HttpClient[] clients = [ada.Client, second?.Client(ada.Token) ?? first.Client(ada.Token)];

        // 200 chats make four pages of the default list; the 24 newest are the web client's, the ones written to.
        await ChatListPagingTests.ImportAsync(ada, 176);
        var chats = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            chats.Add((await ChatDocs.CreateAsync(ada, ChatDocs.WebClientConversation($"Busy {i}", 3)))["id"]!.GetValue<string>());
        }
        var folders = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            folders.Add(await FolderTests.CreateFolderAsync(ada, $"Folder {i}"));
        }
        await ChatListPagingTests.AssertPagesMatchAsync(ada, 4, 3, 2, 1);

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var succeeded = 0;
        var folderLock = new object();
        async Task WorkAsync(int worker)
        {
            var random = new Random(worker);
            var client = clients[worker % clients.Length];
            for (var i = 0; i < OperationsPerWorker; i++)
            {
                var chat = chats[random.Next(chats.Count)];
                string folder;
                lock (folderLock)
                {
                    folder = folders[random.Next(folders.Count)];
                }
                var response = random.Next(17) switch
                {
                    0 => await client.PostAsJsonAsync($"/api/v1/chats/{chat}/messages/a2/event",
                        new { type = "message", data = new { content = $" w{worker}" } }),
                    1 => await client.PostAsJsonAsync($"/api/v1/chats/{chat}/messages/n{worker}-{i}", new { content = "added" }),
                    2 => await SaveAsync(client, chat, random),
                    3 => await client.PostAsync($"/api/v1/chats/{chat}/pin", null),
                    4 => await client.PostAsync($"/api/v1/chats/{chat}/archive", null),
                    5 => await client.PostAsJsonAsync($"/api/v1/chats/{chat}/folder", new { folder_id = random.Next(2) == 0 ? folder : null }),
                    6 => await client.PostAsync($"/api/v1/chats/{chat}/share", null),
                    7 => await client.DeleteAsync($"/api/v1/chats/{chat}/share"),
                    8 => await client.PostAsJsonAsync($"/api/v1/chats/{chat}/clone", new { }),
                    9 => await client.PostAsJsonAsync($"/api/v1/chats/{chat}/tags", new { name = $"tag{random.Next(3)}" }),
                    10 => await client.DeleteAsync($"/api/v1/chats/{chat}/messages/u2"),
                    11 => await ReplaceFolderAsync(client, folder),
                    12 => await client.DeleteAsync($"/api/v1/chats/{chats[random.Next(chats.Count)]}"),
                    13 => await client.PostAsJsonAsync("/api/v1/chats/new", new { chat = ChatDocs.WebClientConversation($"New {worker}-{i}", 1), folder_id = folder }),
                    14 => await ReplaceFolderAsync(client, folder, deleteContents: true),
                    15 => await client.PostAsync(random.Next(2) == 0 ? "/api/v1/chats/archive/all" : "/api/v1/chats/unarchive/all", null),
                    _ => await client.GetAsync($"/api/v1/chats/?page={random.Next(1, 5)}"),
                };
                // 401/404 are fine (a chat or folder deleted by another worker); errors and deadlocks are not.
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref succeeded);
                }
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.PathAndQuery}: " +
                        $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        async Task<HttpResponseMessage> ReplaceFolderAsync(HttpClient client, string folder, bool deleteContents = false)
        {
            var response = await client.DeleteAsync($"/api/v1/folders/{folder}?delete_contents={(deleteContents ? "true" : "false")}");
            var created = await client.PostAsJsonAsync("/api/v1/folders/", new { name = $"Folder {Guid.NewGuid():N}" });
            var id = (await Json.ReadObjectAsync(created, 200))["id"]!.GetValue<string>();
            lock (folderLock)
            {
                folders.Remove(folder);
                folders.Add(id);
            }
            return response;
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(WorkAsync));
        Assert.Empty(failures);
        Assert.True(succeeded > Workers * OperationsPerWorker / 2, $"only {succeeded} requests succeeded");

        await using (var connection = await first.Services.GetRequiredService<Database>().OpenAsync(default))
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                """
                SELECT COUNT(*) FROM chats c WHERE c.folder_id IS NOT NULL AND c.user_id NOT LIKE 'shared-%'
                    AND NOT EXISTS (SELECT 1 FROM folders f WHERE f.id = c.folder_id AND f.user_id = c.user_id)
                """));
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM chats c WHERE c.share_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM chats s WHERE s.id = c.share_id)"));
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                """
                SELECT COUNT(*) FROM chats s WHERE s.user_id LIKE 'shared-%'
                    AND NOT EXISTS (SELECT 1 FROM chats c WHERE c.share_id = s.id AND 'shared-' || c.id = s.user_id)
                """));
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                """
                SELECT COUNT(*) FROM chat_flat_messages r WHERE r.message_id IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM chat_messages m WHERE m.chat_id = r.chat_id AND m.id = r.message_id)
                """));
            var tagged = (await connection.QueryAsync<(string ChatId, string TagId)>("SELECT chat_id, tag_id FROM chat_tags"))
                .ToLookup(t => t.ChatId, t => t.TagId);
            foreach (var (id, meta) in await connection.QueryAsync<(string, string)>("SELECT id, meta FROM chats"))
            {
                var tags = (JsonNode.Parse(meta)?["tags"] as JsonArray ?? []).Select(t => t!.GetValue<string>());
                Assert.Equal(tags.Distinct().Order(), tagged[id].Order());
            }
        }
        // Page starts remembered during the storm, in both processes, give the pages the full list has.
        await ChatListPagingTests.AssertPagesMatchAsync(ada, 4, 3, 2, 1, 4);
        if (second is not null)
        {
            await ChatListPagingTests.AssertPagesMatchAsync(ada with { Client = clients[1] }, 4, 3, 2, 1, 4);
        }
    }

    // Found on 2026-12-05: a chat created by a request of a user deleted meanwhile failed the chats.owner_id key (500),
    // and on PostgreSQL the deletion could deadlock with the user's own create or clone. The rows a user writes while
    // chatting are all in the mix: chats, messages, snapshots, tags, folders, artifact files, key-value artifacts.
    [Fact]
    public async Task DeletingEverythingAndThenTheUserWhileWritesArriveLeavesNothingBehind()
    {
        var (first, second) = await StartProcessesAsync();
        await using var _ = first;
        await using var __ = second;
        var logs = new CapturedLogs();
        first.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().AddProvider(logs);
        string Errors() => string.Join("\n", logs.Lines.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Select(l => l.Text))
            + "\n" + second?.ErrorLines;
        var ada = await first.SignUpAsync("Ada");
        var bob = await first.AddUserAsync(ada, "Bob");
        HttpClient[] clients = [bob.Client, second?.Client(bob.Token) ?? first.Client(bob.Token)];
        var folder = await FolderTests.CreateFolderAsync(bob, "Bob's folder");
        var chats = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            chats.Add((await ChatDocs.CreateAsync(bob, ChatDocs.WebClientConversation($"Bob {i}", 2), folder))["id"]!.GetValue<string>());
        }
        // Chats made during the storm join the targets, so files and messages also race the user's deletion itself.
        string AnyChat(Random random)
        {
            lock (chats)
            {
                return chats[random.Next(chats.Count)];
            }
        }
        async Task<HttpResponseMessage> KeepingAsync(HttpResponseMessage created)
        {
            if (created.IsSuccessStatusCode && (await Json.ReadObjectAsync(created, 200))["id"]?.GetValue<string>() is { } id)
            {
                lock (chats)
                {
                    chats.Add(id);
                }
            }
            return created;
        }
        await Grants.FolderAsync(bob, folder, ("user", ada.Id, "read"));

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        async Task WriteAsync(int worker)
        {
            var random = new Random(worker);
            var client = clients[worker % clients.Length];
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var chat = AnyChat(random);
                var response = random.Next(9) switch
                {
                    0 => await client.PostAsJsonAsync($"/api/v1/chats/{chat}/messages/a1/event", new { type = "message", data = new { content = " more" } }),
                    1 => await client.PostAsJsonAsync($"/api/v1/chats/{chat}/messages/w{worker}-{i}", new { content = "added" }),
                    2 => await client.PostAsync($"/api/v1/chats/{chat}/share", null),
                    3 => await client.PostAsJsonAsync($"/api/v1/chats/{chat}/tags", new { name = "busy" }),
                    4 => await KeepingAsync(await client.PostAsJsonAsync("/api/v1/chats/new", new { chat = ChatDocs.WebClientConversation("Late", 1), folder_id = folder })),
                    5 => await KeepingAsync(await client.PostAsJsonAsync($"/api/v1/chats/{chat}/clone", new { })),
                    6 => await client.PostAsJsonAsync("/api/v1/folders/", new { name = $"Folder {worker}-{i}" }),
                    7 => await client.PostAsJsonAsync("/api/artifacts/store", new { key = $"k{worker}-{i}", scope = "personal", value = i }),
                    _ => await ArtifactFiles.ArtifactUploads.PostAsync(client, chat, $"f{worker}-{i}.txt", "note"u8.ToArray(), "text/plain"),
                };
                // Once the chats or Bob are gone, 401/403/404 are the answers; never an error.
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.PathAndQuery}: " +
                        $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        var writers = Enumerable.Range(0, 6).Select(WriteAsync).ToList();
        await Task.Delay(300);
        var deletedAll = await bob.Client.DeleteAsync("/api/v1/chats/");
        Assert.True(deletedAll.IsSuccessStatusCode, Errors());
        await Task.Delay(300);
        var deletedBob = await ada.Client.DeleteAsync($"/api/v1/users/{bob.Id}");
        Assert.True(deletedBob.IsSuccessStatusCode, Errors());
        await Task.Delay(200);
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.True(failures.IsEmpty, string.Join("\n", failures) + "\n" + Errors());

        await using var connection = await first.Services.GetRequiredService<Database>().OpenAsync(default);
        foreach (var (what, sql) in new[]
                 {
                     ("chats", "SELECT COUNT(*) FROM chats WHERE user_id = @bob OR user_id LIKE 'shared-%'"),
                     ("messages", "SELECT COUNT(*) FROM chat_messages m WHERE NOT EXISTS (SELECT 1 FROM chats c WHERE c.id = m.chat_id)"),
                     ("tags", "SELECT COUNT(*) FROM chat_tags t WHERE NOT EXISTS (SELECT 1 FROM chats c WHERE c.id = t.chat_id)"),
                     ("folders", "SELECT COUNT(*) FROM folders WHERE user_id = @bob"),
                     ("files", "SELECT COUNT(*) FROM artifact_files WHERE user_id = @bob"),
                     ("key-value artifacts", "SELECT COUNT(*) FROM artifacts WHERE user_id = @bob"),
                     ("grants", "SELECT COUNT(*) FROM access_grants WHERE principal_id = @bob OR resource_id = @folder"),
                 })
        {
            Assert.True(0 == await connection.ExecuteScalarAsync<long>(sql, new { bob = bob.Id, folder }), $"{what} of Bob's were left behind");
        }
        // Nor their files: every conversation folder (both processes keep files in the one data folder) is a chat's that exists.
        var conversations = Path.Combine(first.DataDir, "uploads", "conversations");
        var folders = Directory.Exists(conversations) ? Directory.GetDirectories(conversations).Select(Path.GetFileName).ToList() : [];
        Assert.Empty(folders.Except(await connection.QueryAsync<string>("SELECT id FROM chats")));
    }

    /// <summary>
    /// One Hearth on SQLite; on PostgreSQL a second, the built program in an OS process of its own, sharing the database,
    /// the signing secret and the data folder (where artifact files are kept), as a team's processes share storage.
    /// </summary>
    private async Task<(HearthApp First, HearthProcess? Second)> StartProcessesAsync()
    {
        var secret = new Dictionary<string, string?> { ["WEBUI_SECRET_KEY"] = "shared-secret-for-both-processes" };
        var first = await HearthApp.StartAsync(Kind, secret);
        return (first, Kind == DatabaseKind.Postgres
            ? await HearthProcess.ServeAsync(new Dictionary<string, string?>(secret) { ["DATABASE_URL"] = first.DatabaseUrl, ["DATA_DIR"] = first.DataDir })
            : null);
    }

    /// <summary>The web client's save: its copy of the chat, perhaps stale, with a new title.</summary>
    private static async Task<HttpResponseMessage> SaveAsync(HttpClient client, string chatId, Random random)
    {
        var read = await client.GetAsync($"/api/v1/chats/{chatId}");
        if (!read.IsSuccessStatusCode)
        {
            return read;
        }
        var chat = (await Json.ReadObjectAsync(read, 200))["chat"]!.AsObject();
        chat["title"] = $"Saved {random.Next(1000)}";
        chat["messages"] = ChatDocs.BranchOf(chat);
        return await client.PostAsJsonAsync($"/api/v1/chats/{chatId}", new { chat });
    }
}

public sealed class ChatWriteRaceTestsOnSqlite() : ChatWriteRaceTests(DatabaseKind.Sqlite);
public sealed class ChatWriteRaceTestsOnPostgres() : ChatWriteRaceTests(DatabaseKind.Postgres);

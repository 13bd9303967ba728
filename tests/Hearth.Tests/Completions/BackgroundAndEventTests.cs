using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.Events;
using Hearth.Server.Storage;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hearth.Tests.Completions;

public abstract class BackgroundAndEventTests(DatabaseKind kind) : HearthTest(kind)
{
    private static Dictionary<string, string?> OpenAi(ScriptedModelServer model) =>
        new() { ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString() };

    [Fact]
    public async Task WebClientModeAnswersAtOnceCreatesTheChatAndSavesTheReply()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Paris", " is the capital."]));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var answer = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", session_id = "sid-1", id = "assistant-1", parent_id = "user-1",
            user_message = new { id = "user-1", parentId = (string?)null, childrenIds = Array.Empty<string>(), role = "user", content = "Capital of France?", timestamp = 1_700_000_000 },
            messages = new[] { new { role = "user", content = "Capital of France?" } },
        }), 200);
        var chatId = answer["chat_id"]!.GetValue<string>();
        Assert.Single(answer["task_ids"]!.AsArray());
        var reply = await CompletionTests.WaitForMessageAsync(ada, chatId, "assistant-1", m => m["done"]?.GetValue<bool>() == true);
        Assert.Equal("Paris is the capital.", reply!["content"]!.GetValue<string>());
        var chat = await ChatDocs.GetAsync(ada, chatId);
        Assert.Equal("Capital of France?", chat["chat"]!["history"]!["messages"]!["user-1"]!["content"]!.GetValue<string>());
        Assert.Contains("assistant-1", chat["chat"]!["history"]!["messages"]!["user-1"]!["childrenIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["Capital of France?"], model.Requests.Single()["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()));
    }

    [Fact]
    public async Task WebClientModeIntoAChatFilesTheUsersMessageUnderItsParent()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Fine."]));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Ongoing", 1);
        // The client sends its new message with the completion and saves the chat only later.
        await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", session_id = "sid-1", chat_id = chatId, id = "assistant-2", parent_id = "user-2",
            user_message = new { id = "user-2", parentId = "a0", childrenIds = Array.Empty<string>(), role = "user", content = "And you?", timestamp = 1_700_000_100 },
            messages = new[] { new { role = "user", content = "And you?" } },
        }), 200);
        await CompletionTests.WaitForMessageAsync(ada, chatId, "assistant-2", m => m["done"]?.GetValue<bool>() == true);
        var messages = (await ChatDocs.GetAsync(ada, chatId))["chat"]!["history"]!["messages"]!;
        Assert.Equal(["user-2"], messages["a0"]!["childrenIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["assistant-2"], messages["user-2"]!["childrenIds"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public async Task AStoppedTaskKeepsItsPartialReplyMarkedDone()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(Enumerable.Range(0, 50).Select(i => $"w{i} ").ToArray(), ChunkDelay: TimeSpan.FromMilliseconds(100)));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Long", 1);
        var answer = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", session_id = "s", chat_id = chatId, id = "r", parent_id = "a0", messages = Array.Empty<object>(),
        }), 200);
        var taskId = answer["task_ids"]![0]!.GetValue<string>();
        await CompletionTests.WaitForMessageAsync(ada, chatId, "r", m => (m["content"]?.GetValue<string>() ?? "").Length > 0);
        var listed = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/tasks/chat/{chatId}"), 200);
        Assert.Equal(taskId, listed["task_ids"]![0]!.GetValue<string>());
        var eve = await app.AddUserAsync(ada, "Eve");
        Assert.Equal(404, (int)(await eve.Client.PostAsync($"/api/tasks/stop/{taskId}", null)).StatusCode);
        Assert.Equal(404, (int)(await eve.Client.GetAsync($"/api/tasks/chat/{chatId}")).StatusCode);
        Assert.Equal(200, (int)(await ada.Client.PostAsync($"/api/tasks/stop/{taskId}", null)).StatusCode);
        var reply = await CompletionTests.WaitForMessageAsync(ada, chatId, "r", m => m["done"]?.GetValue<bool>() == true);
        var content = reply!["content"]!.GetValue<string>();
        Assert.StartsWith("w0 ", content);
        Assert.DoesNotContain("w49", content);
    }

    [Fact]
    public async Task AdminsListTasksAndOwnersStopTheirChatsGenerationsByChat()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(Enumerable.Range(0, 50).Select(i => $"w{i} ").ToArray(), ChunkDelay: TimeSpan.FromMilliseconds(100)));
        await using var app = await StartAsync(OpenAi(model));
        var admin = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(admin, "Bob");
        await Models.WorkspaceModelTests.PublishAsync(admin, "gpt-test");
        var chatId = await ChatDocs.CreateIdAsync(bob, "Long", 1);
        var answer = await Json.ReadObjectAsync(await bob.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", session_id = "s", chat_id = chatId, id = "r", parent_id = "a0", messages = Array.Empty<object>(),
        }), 200);
        var taskId = answer["task_ids"]![0]!.GetValue<string>();
        await CompletionTests.WaitForMessageAsync(bob, chatId, "r", m => (m["content"]?.GetValue<string>() ?? "").Length > 0);

        Assert.Equal([taskId], (await Json.ReadObjectAsync(await admin.Client.GetAsync("/api/tasks"), 200))["tasks"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(401, (int)(await bob.Client.GetAsync("/api/tasks")).StatusCode);
        var eve = await app.AddUserAsync(admin, "Eve");
        await Json.AssertDetailAsync(await eve.Client.PostAsync($"/api/tasks/chat/{chatId}/stop", null), 404, "We could not find what you're looking for :/");
        var stopped = await Json.ReadObjectAsync(await bob.Client.PostAsync($"/api/tasks/chat/{chatId}/stop", null), 200);
        Assert.True(stopped["status"]!.GetValue<bool>());
        Assert.Equal([taskId], stopped["task_ids"]!.AsArray().Select(t => t!.GetValue<string>()));
        var reply = await CompletionTests.WaitForMessageAsync(bob, chatId, "r", m => m["done"]?.GetValue<bool>() == true);
        Assert.DoesNotContain("w49", reply!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheEventStreamCarriesCompletionDeltasAndPostedEvents()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["live"]));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var eve = await app.AddUserAsync(ada, "Eve");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Evented", 1);
        await using var stream = await EventStreamReader.OpenAsync(ada.Client, "/api/events");
        await using var evesStream = await EventStreamReader.OpenAsync(eve.Client, "/api/events");
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{chatId}/messages/a0/event", new { type = "status", data = new { description = "Thinking" } }).SucceedsAsync();
        var status = await stream.NextAsync(e => e["data"]?["type"]?.GetValue<string>() == "status", TimeSpan.FromSeconds(10));
        Assert.Equal(chatId, status!["chat_id"]!.GetValue<string>());
        Assert.Equal("a0", status["message_id"]!.GetValue<string>());
        Assert.Equal("Thinking", status["data"]!["data"]!["description"]!.GetValue<string>());

        await ada.Client.PostAsJsonAsync("/api/chat/completions", new { model = "gpt-test", session_id = "s", chat_id = chatId, id = "r", parent_id = "a0", messages = Array.Empty<object>() }).SucceedsAsync();
        var done = await stream.NextAsync(e => e["data"]?["type"]?.GetValue<string>() == "chat:completion" && e["data"]?["data"]?["done"]?.GetValue<bool>() == true,
            TimeSpan.FromSeconds(10));
        Assert.Equal("live", done!["data"]!["data"]!["content"]!.GetValue<string>());
        Assert.Null(await evesStream.NextAsync(_ => true, TimeSpan.FromMilliseconds(500)));
        Assert.Equal(403, (int)(await app.Client().GetAsync("/api/events")).StatusCode);
    }

    [Fact]
    public async Task AnAdminsReplyInAUsersChatIsTheirsToWatchAndStop()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(Enumerable.Range(0, 50).Select(i => $"w{i} ").ToArray(), ChunkDelay: TimeSpan.FromMilliseconds(100)));
        await using var app = await StartAsync(OpenAi(model));
        var admin = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(admin, "Bob");
        var eve = await app.AddUserAsync(admin, "Eve");
        var chatId = await ChatDocs.CreateIdAsync(bob, "Bob's", 1);
        await using var bobsStream = await EventStreamReader.OpenAsync(bob.Client, "/api/events");
        await using var adminsStream = await EventStreamReader.OpenAsync(admin.Client, "/api/events");
        var answer = await Json.ReadObjectAsync(await admin.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", session_id = "s", chat_id = chatId, id = "r", parent_id = "a0", messages = Array.Empty<object>(),
        }), 200);
        var taskId = answer["task_ids"]![0]!.GetValue<string>();
        bool IsDelta(JsonObject e) => e["data"]?["type"]?.GetValue<string>() == "chat:completion";
        Assert.NotNull(await bobsStream.NextAsync(IsDelta, TimeSpan.FromSeconds(10)));
        Assert.NotNull(await adminsStream.NextAsync(IsDelta, TimeSpan.FromSeconds(10)));
        // The chat's owner stops it; a stranger cannot.
        Assert.Equal(404, (int)(await eve.Client.PostAsync($"/api/tasks/stop/{taskId}", null)).StatusCode);
        Assert.Equal(200, (int)(await bob.Client.PostAsync($"/api/tasks/stop/{taskId}", null)).StatusCode);
        var reply = await CompletionTests.WaitForMessageAsync(bob, chatId, "r", m => m["done"]?.GetValue<bool>() == true);
        Assert.DoesNotContain("w49", reply!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task CompletedAndActionsCheckOwnership()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var eve = await app.AddUserAsync(ada, "Eve");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Mine", 1);
        var form = new { model = "gpt-test", chat_id = chatId, id = "a0", session_id = "s", messages = new[] { new { role = "assistant", content = "x" } } };
        var echoed = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/chat/completed", form), 200);
        Assert.Equal(chatId, echoed["chat_id"]!.GetValue<string>());
        Assert.Equal(404, (int)(await eve.Client.PostAsJsonAsync("/api/chat/completed", form)).StatusCode);
        Assert.Equal(200, (int)(await eve.Client.PostAsJsonAsync("/api/chat/completed", new { chat_id = "local:abc", id = "m" })).StatusCode);

        Assert.Equal(404, (int)(await eve.Client.PostAsJsonAsync("/api/chat/actions/mark_done", form)).StatusCode);
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync("/api/chat/actions/nope", form), 404, "Action not found");
        var copied = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/chat/actions/copy_to_new_chat", form), 200);
        var copy = await ChatDocs.GetAsync(ada, copied["chat_id"]!.GetValue<string>());
        Assert.Equal("Answer 0", copy["chat"]!["history"]!["messages"]!["a0"]!["content"]!.GetValue<string>());
        Assert.NotEmpty((await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/actions/"), 200))!.AsArray());
    }
}

public sealed class BackgroundAndEventTestsOnSqlite() : BackgroundAndEventTests(DatabaseKind.Sqlite);
public sealed class BackgroundAndEventTestsOnPostgres() : BackgroundAndEventTests(DatabaseKind.Postgres);

/// <summary>Two Hearth processes on one PostgreSQL database: an event made on one reaches a stream on the other.</summary>
public sealed class CrossProcessEventTests
{
    [Fact]
    public async Task AnEventMadeOnOneProcessReachesAStreamOnTheOther()
    {
        var secret = new Dictionary<string, string?> { ["WEBUI_SECRET_KEY"] = "shared secret of both processes" };
        await using var first = await HearthApp.StartAsync(DatabaseKind.Postgres, secret);
        await using var second = await HearthApp.StartAsync(DatabaseKind.Postgres, new Dictionary<string, string?>(secret) { ["DATABASE_URL"] = first.DatabaseUrl });
        var ada = await first.SignUpAsync("Ada");
        var adaOnSecond = await second.SignInAsync(ada.Email, ada.Password);
        var chatId = await ChatDocs.CreateIdAsync(ada, "Shared db", 1);
        await using var stream = await EventStreamReader.OpenAsync(adaOnSecond.Client, "/api/events");
        await second.ListensAsync();
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{chatId}/messages/a0/event", new { type = "replace", data = new { content = new string('z', 9000) } }).SucceedsAsync();
        var received = await stream.NextAsync(e => e["data"]?["type"]?.GetValue<string>() == "replace", TimeSpan.FromSeconds(10));
        Assert.NotNull(received);
        Assert.Equal(9000, received!["data"]!["data"]!["content"]!.GetValue<string>().Length);
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{chatId}/messages/a0/event", new { type = "status", data = new { description = "small" } }).SucceedsAsync();
        Assert.NotNull(await stream.NextAsync(e => e["data"]?["type"]?.GetValue<string>() == "status", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task EventsArriveOnTheOtherProcessInTheOrderTheyWereMade()
    {
        var secret = new Dictionary<string, string?> { ["WEBUI_SECRET_KEY"] = "shared secret of both processes" };
        await using var first = await HearthApp.StartAsync(DatabaseKind.Postgres, secret);
        await using var second = await HearthApp.StartAsync(DatabaseKind.Postgres, new Dictionary<string, string?>(secret) { ["DATABASE_URL"] = first.DatabaseUrl });
        var ada = await first.SignUpAsync("Ada");
        var adaOnSecond = await second.SignInAsync(ada.Email, ada.Password);
        var chatId = await ChatDocs.CreateIdAsync(ada, "Ordered", 1);
        await using var stream = await EventStreamReader.OpenAsync(adaOnSecond.Client, "/api/events");
        await second.ListensAsync();
        // Published back to back, as a streamed reply publishes its deltas; every tenth is too large for a
        // notification and travels through a table row, and must not fall behind the small ones after it.
        var bus = first.Services.GetRequiredService<EventBus>();
        for (var i = 0; i < 100; i++)
        {
            bus.Publish(ada.Id, chatId, "a0", "status", new JsonObject { ["description"] = $"{i}:" + (i % 10 == 0 ? new string('x', 9000) : "") });
        }
        var order = new List<int>();
        for (var i = 0; i < 100; i++)
        {
            var received = await stream.NextAsync(e => e["data"]?["type"]?.GetValue<string>() == "status", TimeSpan.FromSeconds(10));
            Assert.NotNull(received);
            order.Add(int.Parse(received!["data"]!["data"]!["description"]!.GetValue<string>().Split(':')[0], CultureInfo.InvariantCulture));
        }
        Assert.Equal(Enumerable.Range(0, 100), order);
    }

    [Fact]
    public async Task EventsPublishedTogetherShareNotificationsAndAllArriveInOrder()
    {
        var secret = new Dictionary<string, string?> { ["WEBUI_SECRET_KEY"] = "shared secret of both processes" };
        await using var first = await HearthApp.StartAsync(DatabaseKind.Postgres, secret);
        await using var second = await HearthApp.StartAsync(DatabaseKind.Postgres, new Dictionary<string, string?>(secret) { ["DATABASE_URL"] = first.DatabaseUrl });
        var ada = await first.SignUpAsync("Ada");
        var bob = await first.AddUserAsync(ada, "Bob");
        var adaOnSecond = await second.SignInAsync(ada.Email, ada.Password);
        var bobOnSecond = await second.SignInAsync(bob.Email, bob.Password);
        var chatId = await ChatDocs.CreateIdAsync(ada, "Busy", 1);
        await using var adasStream = await EventStreamReader.OpenAsync(adaOnSecond.Client, "/api/events");
        await using var bobsStream = await EventStreamReader.OpenAsync(bobOnSecond.Client, "/api/events");
        await second.ListensAsync();
        // A listener of our own counts the notifications that carry them.
        await using var counter = await first.Services.GetRequiredService<Database>().OpenSessionAsync(default);
        var notifications = 0;
        counter.Notification += (_, _) => Interlocked.Increment(ref notifications);
        await counter.ExecuteAsync($"LISTEN {PostgresEventRelay.Channel}");

        // Many replies streaming at once: 300 small events for two users, back to back.
        var bus = first.Services.GetRequiredService<EventBus>();
        const int count = 300;
        for (var i = 0; i < count; i++)
        {
            bus.Publish(i % 2 == 0 ? ada.Id : bob.Id, chatId, "a0", "status", new JsonObject { ["description"] = $"{i}:delta" });
        }
        async Task<List<int>> ReceiveAsync(EventStreamReader stream)
        {
            var order = new List<int>();
            for (var i = 0; i < count / 2; i++)
            {
                var received = await stream.NextAsync(e => e["data"]?["type"]?.GetValue<string>() == "status", TimeSpan.FromSeconds(10));
                Assert.NotNull(received);
                order.Add(int.Parse(received!["data"]!["data"]!["description"]!.GetValue<string>().Split(':')[0], CultureInfo.InvariantCulture));
            }
            return order;
        }
        Assert.Equal(Enumerable.Range(0, count / 2).Select(i => 2 * i), await ReceiveAsync(adasStream));
        Assert.Equal(Enumerable.Range(0, count / 2).Select(i => 2 * i + 1), await ReceiveAsync(bobsStream));
        // Reads what our listener has been sent until it stays quiet.
        while (await counter.WaitAsync(TimeSpan.FromMilliseconds(500)))
        {
        }
        // One notification per event would be 300; a publisher slowed down by a busy machine still shares each among several.
        Assert.InRange(notifications, 1, count / 4);
    }

    [Fact]
    public async Task ProgressEventsGoOnlyToProcessesWhereTheirUserListensAndOthersEverywhere()
    {
        var secret = new Dictionary<string, string?> { ["WEBUI_SECRET_KEY"] = "shared secret of both processes" };
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var first = await HearthApp.StartAsync(DatabaseKind.Postgres, secret, clock);
        await using var second = await HearthApp.StartAsync(DatabaseKind.Postgres, new Dictionary<string, string?>(secret) { ["DATABASE_URL"] = first.DatabaseUrl });
        var ada = await first.SignUpAsync("Ada");
        var bob = await first.AddUserAsync(ada, "Bob");
        var adaOnSecond = await second.SignInAsync(ada.Email, ada.Password);
        var chatId = await ChatDocs.CreateIdAsync(ada, "Listened", 1);
        // Past its warm-up, the first process sends progress only for users it has heard listen elsewhere.
        clock.Advance(PostgresEventRelay.WarmUp + TimeSpan.FromSeconds(1));
        await using var watcher = await first.Services.GetRequiredService<Database>().OpenSessionAsync(default);
        var payloads = new System.Collections.Concurrent.ConcurrentQueue<string>();
        watcher.Notification += (_, e) => payloads.Enqueue(e.Payload);
        await watcher.ExecuteAsync($"LISTEN {PostgresEventRelay.Channel}");
        await using var stream = await EventStreamReader.OpenAsync(adaOnSecond.Client, "/api/events");
        await second.ListensAsync();
        var bus = first.Services.GetRequiredService<EventBus>();
        void Progress(string userId, string text) =>
            bus.Publish([userId], chatId, "a0", "chat:completion", new JsonObject { ["content"] = text, ["done"] = false }, progress: true);
        // Ada's stream announced her before it said it was live; the first process acts on that as the notification arrives.
        Assert.True(await ArrivesAsync(stream, "hello", () => Progress(ada.Id, "hello")), "Ada's progress did not reach her stream in the other process.");

        Progress(bob.Id, "for nobody");
        bus.Publish(bob.Id, chatId, "a0", "chat:completion", new JsonObject { ["content"] = "the end of the reply to Bob", ["done"] = true });
        Progress(ada.Id, "after");
        Assert.NotNull(await stream.NextAsync(e => Text(e) == "after", TimeSpan.FromSeconds(10)));
        while (await watcher.WaitAsync(TimeSpan.FromMilliseconds(500)))
        {
        }
        Assert.Contains(payloads, p => p.Contains("after", StringComparison.Ordinal));
        Assert.DoesNotContain(payloads, p => p.Contains("for nobody", StringComparison.Ordinal));
        // An event that happens once goes everywhere, listened for or not: it cannot be lost while an announcement travels.
        Assert.Contains(payloads, p => p.Contains("the end of the reply to Bob", StringComparison.Ordinal));

        // An announcement lapses unless renewed; the second process renews Ada's while her stream is open.
        clock.Advance(PostgresEventRelay.ListenerExpiry + TimeSpan.FromSeconds(1));
        Assert.True(await ArrivesAsync(stream, "renewed", () => Progress(ada.Id, "renewed"), 2 * PostgresEventRelay.AnnounceInterval + TimeSpan.FromSeconds(10)),
            "Ada's announcement was not renewed.");
    }

    /// <summary>A status event's description or a reply event's text.</summary>
    private static string? Text(JsonObject e) => e["data"]?["type"]?.GetValue<string>() switch
    {
        "status" => e["data"]?["data"]?["description"]?.GetValue<string>(),
        "chat:completion" => e["data"]?["data"]?["content"]?.GetValue<string>(),
        _ => null,
    };

    /// <summary>Publishes again every 200 ms until the event reaches the stream or <paramref name="within"/> (10 s) has passed.</summary>
    private static async Task<bool> ArrivesAsync(EventStreamReader stream, string text, Action publish, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            publish();
            if (await stream.NextAsync(e => Text(e) == text, TimeSpan.FromMilliseconds(200)) is not null)
            {
                return true;
            }
        }
        return false;
    }
}

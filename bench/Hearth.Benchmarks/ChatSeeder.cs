using System.Text.Json.Nodes;
using Hearth.Server.Chats;

namespace Hearth.Benchmarks;

/// <summary>
/// Builds realistic chat documents (user/assistant turns with Open WebUI's message fields) from a fixed
/// vocabulary, deterministically, and writes them through Hearth's own store so seeding is fast.
/// </summary>
internal sealed class ChatSeeder(ChatStore store)
{
    private static readonly string[] Syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "pa", "qu", "be", "do", "fi", "gu"];
    private readonly Random _random = new(42);

    /// <summary>A word list where the word at index i is about (i+1) times rarer than the first (Zipf-like use).</summary>
    public static readonly string[] Vocabulary = Enumerable.Range(0, 3000).Select(Word).ToArray();

    private static string Word(int index)
    {
        var letters = "";
        var n = index + 15;
        while (n > 0)
        {
            letters += Syllables[n % Syllables.Length];
            n /= Syllables.Length;
        }
        return letters;
    }

    public string Sentence(int words)
    {
        var parts = new string[words];
        for (var i = 0; i < words; i++)
        {
            // Skewed choice: low indexes are common, high indexes rare.
            var u = _random.NextDouble();
            parts[i] = Vocabulary[(int)(Math.Pow(u, 3) * Vocabulary.Length)];
        }
        return string.Join(' ', parts);
    }

    public JsonObject Chat(string title, int messageCount, int padding = 0)
    {
        var messages = new JsonObject();
        string? parent = null;
        for (var i = 0; i < messageCount; i++)
        {
            var id = $"m{i}";
            var message = new JsonObject
            {
                ["id"] = id, ["parentId"] = parent, ["childrenIds"] = new JsonArray(), ["role"] = i % 2 == 0 ? "user" : "assistant",
                ["content"] = Sentence(10), ["timestamp"] = 1_700_000_000 + i, ["model"] = "bench-model", ["done"] = true,
            };
            if (padding > 0)
            {
                message["sources"] = new JsonArray(new JsonObject { ["source"] = new JsonObject { ["name"] = "doc" }, ["document"] = new JsonArray(new string('d', padding)) });
            }
            if (parent is not null)
            {
                messages[parent]!["childrenIds"]!.AsArray().Add(id);
            }
            messages[id] = message;
            parent = id;
        }
        return new JsonObject
        {
            ["title"] = title, ["models"] = new JsonArray("bench-model"),
            ["history"] = new JsonObject { ["messages"] = messages, ["currentId"] = parent }, ["timestamp"] = 1_700_000_000_000,
        };
    }

    /// <summary>Inserts <paramref name="count"/> chats for the user, in batches, and returns their ids.</summary>
    public async Task<List<string>> SeedAsync(string userId, int count, int messagesPerChat, int padding = 0, string titlePrefix = "Chat")
    {
        var ids = new List<string>(count);
        var batch = new List<(ChatRow, SplitChat)>();
        for (var i = 0; i < count; i++)
        {
            var split = MessageTree.Split(Chat($"{titlePrefix} {i} {Sentence(3)}", messagesPerChat, padding));
            var row = ChatStore.NewRow(userId, split, null, "{}", false, 1_700_000_000 + i, 1_700_000_000 + i);
            batch.Add((row, split));
            ids.Add(row.Id);
            if (batch.Count * Math.Max(messagesPerChat, 1) >= 5000 || i == count - 1)
            {
                await store.InsertAsync(batch.ToList(), CancellationToken.None);
                batch.Clear();
            }
        }
        return ids;
    }
}

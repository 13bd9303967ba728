using System.Text.Json.Nodes;
using Hearth.Server.Chats;

namespace Hearth.Benchmarks;

/// <summary>
/// Builds realistic chat documents (user/assistant turns with Open WebUI's message fields) from a fixed
/// vocabulary, deterministically, and writes them through Hearth's own store so seeding is fast.
/// </summary>
internal sealed class ChatSeeder(ChatStore store)
{
    /// <summary>
    /// 20,000 made-up words of 3 to 10 random letters: like a real vocabulary, their trigrams are spread
    /// over the whole alphabet (a handful of syllables would make every trigram common).
    /// </summary>
    public static readonly string[] Vocabulary = MakeVocabulary(20_000);

    private readonly Random _random = new(42);

    private static string[] MakeVocabulary(int size)
    {
        var random = new Random(1);
        var words = new HashSet<string>();
        while (words.Count < size)
        {
            var length = random.Next(3, 11);
            words.Add(string.Create(length, random, (span, r) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = (char)('a' + r.Next(26));
                }
            }));
        }
        return words.ToArray();
    }

    public string Sentence(int words)
    {
        var parts = new string[words];
        for (var i = 0; i < words; i++)
        {
            // Skewed choice (roughly Zipf): low indexes are common, high indexes rare.
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

using System.Text.Json.Nodes;
using Hearth.Server.Chats;

namespace Hearth.Benchmarks;

/// <summary>
/// Builds chat documents in the shape Open WebUI's web client saves (<c>Chat.svelte</c>'s <c>saveChatHandler</c>:
/// <c>models</c>, <c>history</c> with every message, <c>messages</c> as the flat list of the current branch's
/// message objects, <c>params</c>, <c>files</c>, plus <c>title</c>, <c>tags</c> and <c>timestamp</c> from
/// creation), from a fixed vocabulary, deterministically. <see cref="SeedAsync"/> writes many through Hearth's
/// own store (as an import does) so seeding is fast; <see cref="WebClientChats"/> saves one over HTTP.
/// </summary>
internal sealed class ChatSeeder(ChatStore? store = null)
{
    public const string Model = "bench-model";

    /// <summary>Every this many turns an assistant reply has an earlier, regenerated sibling off the current branch.</summary>
    private const int RegenerateEvery = 25;

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

    /// <summary>The id of the <paramref name="index"/>th message of the current branch (user turns even, replies odd).</summary>
    public static string MessageId(int index) => $"m{index}";

    /// <summary>
    /// A chat whose current branch has <paramref name="branchLength"/> messages, alternating user turns and
    /// assistant replies with the web client's fields; some replies have a regenerated sibling, so
    /// <c>history</c> holds a few messages more than the flat <c>messages</c> list. <paramref name="padding"/>
    /// adds a retrieved document of that many characters to each message.
    /// </summary>
    public JsonObject Chat(string title, int branchLength, int padding = 0)
    {
        var history = new JsonObject();
        var branch = new List<JsonObject>(branchLength);
        JsonObject? parent = null;
        for (var i = 0; i < branchLength; i++)
        {
            var timestamp = 1_700_000_000 + i;
            var user = i % 2 == 0;
            if (!user && i % (2 * RegenerateEvery) == 1)
            {
                Add(history, parent, Reply($"{MessageId(i)}-regenerated", parent, timestamp, padding));
            }
            var message = user ? Prompt(MessageId(i), parent, timestamp, padding) : Reply(MessageId(i), parent, timestamp, padding);
            Add(history, parent, message);
            branch.Add(message);
            parent = message;
        }
        return new JsonObject
        {
            ["id"] = "",
            ["title"] = title,
            ["models"] = new JsonArray(Model),
            ["params"] = new JsonObject(),
            ["history"] = new JsonObject { ["messages"] = history, ["currentId"] = parent?["id"]?.DeepClone() },
            // createMessagesList(history, history.currentId): the branch's message objects themselves.
            ["messages"] = new JsonArray(branch.Select(m => m.DeepClone()).ToArray()),
            ["tags"] = new JsonArray(),
            ["timestamp"] = 1_700_000_000_000,
            ["files"] = new JsonArray(),
        };
    }

    /// <summary>What <c>saveChatHandler</c> posts for <paramref name="chat"/>: <c>{"chat": {models, history, messages, params, files}}</c>.</summary>
    public static JsonObject SaveBody(JsonObject chat) => new()
    {
        ["chat"] = new JsonObject
        {
            ["models"] = chat["models"]!.DeepClone(),
            ["history"] = chat["history"]!.DeepClone(),
            ["messages"] = chat["messages"]!.DeepClone(),
            ["params"] = chat["params"]!.DeepClone(),
            ["files"] = chat["files"]!.DeepClone(),
        },
    };

    private static void Add(JsonObject history, JsonObject? parent, JsonObject message)
    {
        if (parent is not null)
        {
            parent["childrenIds"]!.AsArray().Add(message["id"]!.DeepClone());
        }
        history[message["id"]!.GetValue<string>()] = message;
    }

    // The field order of the web client's submitPrompt (user) and sendMessage (assistant, then done when it finished).
    private JsonObject Prompt(string id, JsonObject? parent, long timestamp, int padding) => Padded(new JsonObject
    {
        ["id"] = id, ["parentId"] = parent?["id"]?.DeepClone(), ["childrenIds"] = new JsonArray(), ["role"] = "user",
        ["content"] = Sentence(10), ["timestamp"] = timestamp, ["models"] = new JsonArray(Model),
    }, padding);

    private JsonObject Reply(string id, JsonObject? parent, long timestamp, int padding) => Padded(new JsonObject
    {
        ["parentId"] = parent?["id"]?.DeepClone(), ["id"] = id, ["childrenIds"] = new JsonArray(), ["role"] = "assistant",
        ["content"] = Sentence(20), ["model"] = Model, ["modelName"] = Model, ["modelIdx"] = 0, ["userContext"] = null,
        ["timestamp"] = timestamp, ["done"] = true,
    }, padding);

    private static JsonObject Padded(JsonObject message, int padding)
    {
        if (padding > 0)
        {
            message["sources"] = new JsonArray(new JsonObject
            {
                ["source"] = new JsonObject { ["name"] = "doc" }, ["document"] = new JsonArray(new string('d', padding)),
            });
        }
        return message;
    }

    /// <summary>Inserts <paramref name="count"/> chats for the user, in batches, and returns their ids.</summary>
    public async Task<List<string>> SeedAsync(string userId, int count, int messagesPerChat, int padding = 0, string titlePrefix = "Chat")
    {
        var chats = store ?? throw new InvalidOperationException("This seeder builds documents only: it was made without Hearth's store.");
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
                await chats.InsertAsync(batch.ToList(), CancellationToken.None);
                batch.Clear();
            }
        }
        return ids;
    }
}

using System.Text.Json.Nodes;

namespace Hearth.Server.Completions;

/// <summary>
/// Pure conversions between OpenAI's chat-completion format and Ollama's native <c>/api/chat</c>:
/// requests one way, NDJSON reply lines back into OpenAI chunks (or one completion).
/// </summary>
internal static class OllamaTranslation
{
    private static readonly Dictionary<string, string> Options = new()
    {
        ["temperature"] = "temperature", ["top_p"] = "top_p", ["seed"] = "seed", ["stop"] = "stop",
        ["max_tokens"] = "num_predict", ["frequency_penalty"] = "frequency_penalty", ["presence_penalty"] = "presence_penalty",
    };

    public static JsonObject Request(JsonObject openAi, bool stream)
    {
        var options = new JsonObject();
        foreach (var (from, to) in Options)
        {
            if (openAi[from] is { } value)
            {
                options[to] = value.DeepClone();
            }
        }
        var request = new JsonObject
        {
            ["model"] = openAi["model"]?.DeepClone(),
            ["messages"] = openAi["messages"]?.DeepClone() ?? new JsonArray(),
            ["stream"] = stream,
        };
        if (options.Count > 0)
        {
            request["options"] = options;
        }
        if (openAi["tools"] is JsonArray tools)
        {
            request["tools"] = tools.DeepClone();
        }
        return request;
    }

    /// <summary>One Ollama NDJSON line as an OpenAI <c>chat.completion.chunk</c>.</summary>
    public static JsonObject Chunk(JsonObject line, string id, long created)
    {
        var message = line["message"] as JsonObject;
        var done = line["done"] is JsonValue d && d.TryGetValue<bool>(out var isDone) && isDone;
        var delta = new JsonObject();
        if (message?["content"] is JsonValue content && content.TryGetValue<string>(out var text) && text.Length > 0)
        {
            delta["content"] = text;
        }
        if (message?["tool_calls"] is JsonArray calls)
        {
            delta["tool_calls"] = ToolCalls(calls);
        }
        var chunk = new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = created,
            ["model"] = line["model"]?.DeepClone(),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["delta"] = delta,
                ["finish_reason"] = done ? (delta.ContainsKey("tool_calls") ? "tool_calls" : "stop") : null,
            }),
        };
        if (done)
        {
            chunk["usage"] = Usage(line);
        }
        return chunk;
    }

    /// <summary>A whole (non-streamed) Ollama reply as an OpenAI <c>chat.completion</c>.</summary>
    public static JsonObject Completion(JsonObject reply, string id, long created)
    {
        var message = reply["message"] as JsonObject;
        var answer = new JsonObject { ["role"] = "assistant", ["content"] = message?["content"]?.DeepClone() ?? "" };
        if (message?["tool_calls"] is JsonArray calls)
        {
            answer["tool_calls"] = ToolCalls(calls);
        }
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = created,
            ["model"] = reply["model"]?.DeepClone(),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0, ["message"] = answer, ["finish_reason"] = answer.ContainsKey("tool_calls") ? "tool_calls" : "stop",
            }),
            ["usage"] = Usage(reply),
        };
    }

    private static JsonObject Usage(JsonObject line)
    {
        var prompt = line["prompt_eval_count"]?.GetValue<long>() ?? 0;
        var completion = line["eval_count"]?.GetValue<long>() ?? 0;
        return new JsonObject { ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion };
    }

    /// <summary>Ollama gives arguments as an object and no ids; OpenAI wants a JSON string and an id per call.</summary>
    private static JsonArray ToolCalls(JsonArray calls) => new(calls.Select((call, i) => (JsonNode)new JsonObject
    {
        ["index"] = i,
        ["id"] = $"call_{i}",
        ["type"] = "function",
        ["function"] = new JsonObject
        {
            ["name"] = call?["function"]?["name"]?.DeepClone(),
            ["arguments"] = call?["function"]?["arguments"] is JsonObject args ? args.ToJsonString() : call?["function"]?["arguments"]?.DeepClone(),
        },
    }).ToArray());
}

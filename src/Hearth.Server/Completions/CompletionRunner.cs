using System.Text.Json.Nodes;
using Hearth.Server.Completions.Tools;

namespace Hearth.Server.Completions;

/// <summary>
/// Runs a completion against a model server, with the tool loop: when the model calls tools, Hearth runs
/// them, appends their results and asks again, up to <see cref="CompletionOptions.ToolMaxRounds"/> rounds.
/// Streams pass each content chunk on as it arrives; the reply is recorded as it grows.
/// </summary>
internal sealed class CompletionRunner(ModelClient client, ToolRegistry tools, ToolExecution execution, Microsoft.Extensions.Options.IOptions<CompletionOptions> options)
{
    /// <summary>Streaming run; the run receives each OpenAI chunk's JSON, as the model server sent it, and then its end.</summary>
    public async Task StreamAsync(ModelConnection connection, CompletionRequest request, CompletionRun run, CancellationToken cancellationToken)
    {
        using var streaming = Telemetry.HearthTelemetry.Stream("completion");
        var body = WithTools(request);
        // Background generations stream from the model server whatever the client asked for.
        body["stream"] = true;
        var calls = new JsonArray();
        var results = new JsonArray();
        JsonNode? usage = null;
        for (var round = 1; ; round++)
        {
            using var response = await client.SendAsync(connection, body, stream: true, cancellationToken);
            var collected = new ToolCallCollector();
            await foreach (var payload in client.ChunksAsync(connection, response, cancellationToken))
            {
                var chunk = ChunkFields.Read(payload.Span);
                usage = chunk.Usage ?? usage;
                // Tool rounds are Hearth's business: their chunks are collected, never forwarded.
                if (request.ToolIds.Count > 0 && chunk.ToolCalls is { } toolDeltas)
                {
                    collected.Add(toolDeltas);
                    continue;
                }
                if (request.ToolIds.Count > 0 && chunk.FinishReason == "tool_calls")
                {
                    continue;
                }
                await run.ChunkAsync(payload, chunk.Content, cancellationToken);
            }
            if (collected.Calls.Count == 0 || round >= options.Value.ToolMaxRounds)
            {
                break;
            }
            await RunToolsAsync(body, collected.Calls, calls, results, run, null, cancellationToken);
        }
        await run.EndAsync(usage);
    }

    /// <summary>Non-streaming run; answers the model server's last completion as it came (unknown fields kept).</summary>
    public async Task<JsonObject> CompleteAsync(ModelConnection connection, CompletionRequest request, CompletionRun run, CancellationToken cancellationToken)
    {
        var body = WithTools(request);
        var calls = new JsonArray();
        var results = new JsonArray();
        var content = new System.Text.StringBuilder();
        for (var round = 1; ; round++)
        {
            using var response = await client.SendAsync(connection, body, stream: false, cancellationToken);
            var completion = await client.CompletionAsync(connection, response, cancellationToken);
            var message = completion["choices"]?[0]?["message"];
            content.Append(Chats.MessageTree.String(message?["content"]));
            var toolCalls = message?["tool_calls"] as JsonArray;
            if (toolCalls is not { Count: > 0 } || request.ToolIds.Count == 0 || round >= options.Value.ToolMaxRounds)
            {
                await run.AnsweredAsync(content.ToString(), cancellationToken);
                await run.EndAsync(completion["usage"]);
                return completion;
            }
            await RunToolsAsync(body, toolCalls.Select(c => (JsonObject)c!.DeepClone()).ToList(), calls, results, run,
                Chats.MessageTree.String(message?["content"]), cancellationToken);
        }
    }

    private JsonObject WithTools(CompletionRequest request)
    {
        var body = (JsonObject)request.Upstream.DeepClone();
        if (request.ToolIds.Count > 0)
        {
            body["tools"] = new JsonArray(request.ToolIds.Select(id => tools.Find(id)).OfType<ITool>()
                .Select(t => (JsonNode)ToolRegistry.Declaration(t)).ToArray());
        }
        return body;
    }

    /// <summary>Runs each call, appends the assistant's call message and one <c>tool</c> message per result.</summary>
    private async Task RunToolsAsync(JsonObject body, IReadOnlyList<JsonObject> toolCalls, JsonArray allCalls, JsonArray allResults,
        CompletionRun run, string? content, CancellationToken cancellationToken)
    {
        var messages = (JsonArray)body["messages"]!;
        messages.Add(new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = content,
            ["tool_calls"] = new JsonArray(toolCalls.Select(c => (JsonNode)c.DeepClone()).ToArray()),
        });
        foreach (var call in toolCalls)
        {
            allCalls.Add(call.DeepClone());
            run.ToolStep(allCalls, allResults, cancellationToken);
            var outcome = await execution.RunAsync(call, run, cancellationToken);
            allResults.Add(outcome.Record);
            run.ToolStep(allCalls, allResults, cancellationToken);
            messages.Add(new JsonObject
            {
                ["role"] = "tool",
                ["tool_call_id"] = call["id"]?.DeepClone(),
                ["content"] = outcome.ForModel,
            });
        }
    }
}

/// <summary>Joins streamed tool-call deltas (by index) into whole calls.</summary>
internal sealed class ToolCallCollector
{
    private readonly SortedDictionary<int, JsonObject> _calls = [];

    public IReadOnlyList<JsonObject> Calls => _calls.Values.ToList();

    public void Add(JsonArray deltas)
    {
        foreach (var delta in deltas.OfType<JsonObject>())
        {
            var index = (int)(Chats.MessageTree.Number(delta["index"]) ?? _calls.Count);
            if (!_calls.TryGetValue(index, out var call))
            {
                call = new JsonObject { ["id"] = null, ["type"] = "function", ["function"] = new JsonObject { ["name"] = "", ["arguments"] = "" } };
                _calls[index] = call;
            }
            if (Chats.MessageTree.String(delta["id"]) is { } id)
            {
                call["id"] = id;
            }
            var function = (JsonObject)call["function"]!;
            if (Chats.MessageTree.String(delta["function"]?["name"]) is { } name)
            {
                function["name"] = Chats.MessageTree.String(function["name"]) + name;
            }
            if (Chats.MessageTree.String(delta["function"]?["arguments"]) is { } arguments)
            {
                function["arguments"] = Chats.MessageTree.String(function["arguments"]) + arguments;
            }
        }
    }
}

using System.Text.Json.Nodes;
using Hearth.Server.Chats;
using Hearth.Server.Completions;

namespace Hearth.Server.Models;

/// <summary>
/// A workspace entry applied to a completion request, as upstream applies a model's params: the base model's id
/// goes to the model server, the entry's system prompt goes before the request's own (or becomes the first
/// message), and each parameter the entry sets replaces the request's.
/// </summary>
internal static class ModelParameters
{
    /// <summary>The OpenAI request fields an entry's <c>params</c> may set (Open WebUI's mapping for OpenAI-style servers).</summary>
    private static readonly string[] Passed =
        ["temperature", "top_p", "min_p", "max_tokens", "frequency_penalty", "presence_penalty", "reasoning_effort", "seed", "stop",
            "logit_bias", "response_format"];

    public static CompletionRequest Apply(CompletionRequest request, ModelChoice choice)
    {
        if (choice.Entry is null && choice.UpstreamId == request.Model)
        {
            return request;
        }
        var upstream = (JsonObject)request.Upstream.DeepClone();
        upstream["model"] = choice.UpstreamId;
        var parameters = choice.Entry?.ParamsObject ?? [];
        foreach (var key in Passed)
        {
            if (parameters[key] is { } value)
            {
                upstream[key] = value.DeepClone();
            }
        }
        if (MessageTree.String(parameters["system"]) is { Length: > 0 } system && upstream["messages"] is JsonArray turns)
        {
            upstream["messages"] = ConversationContext.WithSystemPrompt((JsonArray)turns.DeepClone(), system);
        }
        return request with { Upstream = upstream };
    }
}

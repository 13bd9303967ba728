using System.Text.Json.Nodes;

namespace Hearth.Server.Completions.Tools;

/// <summary>A file a tool made; stored as an artifact of the chat it ran for.</summary>
internal sealed record ToolFile(string Name, byte[] Content);

/// <summary>What a tool gives back: text for the model, files for the person, and whether it failed.</summary>
internal sealed record ToolResult(string Content, IReadOnlyList<ToolFile> Files, bool IsError = false);

/// <summary>A named server-side function with a JSON schema for its arguments.</summary>
internal interface ITool
{
    string Id { get; }
    string Description { get; }
    JsonObject Parameters { get; }

    /// <summary>The permission (Open WebUI's name, e.g. <c>features.code_interpreter</c>) a user needs to run it; null when anyone may.</summary>
    string? Permission { get; }
    Task<ToolResult> RunAsync(JsonObject arguments, CancellationToken cancellationToken);
}

internal sealed record ToolSpec(string Id, string Name, string Description, JsonObject Parameters);

internal sealed record ToolRunForm(JsonObject? Arguments = null, string? ChatId = null, string? MessageId = null);

internal sealed record ToolRunResponse(string Content, bool IsError, IReadOnlyList<JsonObject> Files);

/// <summary>Where tool files go: the artifact store (artifact-files.md), which answers the reference a message's <c>files</c> keeps.</summary>
internal interface IArtifactSink
{
    Task<JsonObject> StoreAsync(string userId, string chatId, string? messageId, ToolFile file, CancellationToken cancellationToken);
}

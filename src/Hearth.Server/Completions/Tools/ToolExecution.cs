using System.Text.Json.Nodes;

namespace Hearth.Server.Completions.Tools;

/// <summary>What one tool call gave: the text the model reads, and the record saved on the message.</summary>
internal sealed record ToolOutcome(string ForModel, JsonObject Record);

/// <summary>Runs one tool call of a model and turns the files it made into artifacts of the chat and the message.</summary>
internal sealed class ToolExecution(ToolRegistry tools, IArtifactSink artifacts)
{
    public async Task<ToolOutcome> RunAsync(JsonObject call, CompletionRun run, CancellationToken cancellationToken)
    {
        var name = Chats.MessageTree.String(call["function"]?["name"]) ?? "";
        var result = await tools.RunAsync(name, call["function"]?["arguments"], cancellationToken);
        var files = await StoreFilesAsync(result.Files, run, cancellationToken);
        var record = new JsonObject
        {
            ["tool_call_id"] = call["id"]?.DeepClone(),
            ["name"] = name,
            ["content"] = result.Content,
            ["error"] = result.IsError,
            ["files"] = new JsonArray(files.Select(f => (JsonNode)f.DeepClone()).ToArray()),
        };
        var forModel = files.Count == 0
            ? result.Content
            : result.Content + "\n\nFiles saved for the user: " + string.Join(", ", files.Select(f => Chats.MessageTree.String(f["name"])));
        return new ToolOutcome(forModel, record);
    }

    /// <summary>
    /// Stores each file as an artifact of the run's chat, listed on its message; a run that keeps nothing (a pure
    /// proxy, a temporary chat) only names the files.
    /// </summary>
    public async Task<List<JsonObject>> StoreFilesAsync(IReadOnlyList<ToolFile> files, CompletionRun run, CancellationToken cancellationToken)
    {
        var stored = new List<JsonObject>();
        if (files.Count > 0 && run.Target is not null)
        {
            await run.MessageSavedAsync();
        }
        foreach (var file in files)
        {
            stored.Add(run.Target is { } target
                ? await artifacts.StoreAsync(run.OwnerId, target.ChatId, target.MessageId, file, cancellationToken)
                : new JsonObject { ["type"] = "file", ["name"] = file.Name, ["size"] = file.Content.Length });
        }
        return stored;
    }
}

using System.Text.Json.Nodes;

namespace Hearth.Server.Completions.Tools;

/// <summary>What one tool call gave: the text the model reads, and the record saved on the message.</summary>
internal sealed record ToolOutcome(string ForModel, JsonObject Record);

/// <summary>Runs one tool call of a model and turns the files it made into artifacts of the chat and the message.</summary>
internal sealed class ToolExecution(ToolRegistry tools, IServiceProvider services)
{
    public async Task<ToolOutcome> RunAsync(JsonObject call, RunTargets targets, CancellationToken cancellationToken)
    {
        var name = Chats.MessageTree.String(call["function"]?["name"]) ?? "";
        var result = await tools.RunAsync(name, call["function"]?["arguments"], cancellationToken);
        var files = await StoreFilesAsync(result.Files, targets, cancellationToken);
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

    /// <summary>Stores each file as an artifact (when an artifact store is present) and lists it on the message.</summary>
    public async Task<List<JsonObject>> StoreFilesAsync(IReadOnlyList<ToolFile> files, RunTargets targets, CancellationToken cancellationToken)
    {
        var stored = new List<JsonObject>();
        var sink = services.GetService<IArtifactSink>();
        if (targets.Recorder is not null && files.Count > 0)
        {
            // The reply's first save runs in the background: the artifact store lists the file on a message that must be there.
            await targets.Recorder.QueuedSavesAsync();
        }
        foreach (var file in files)
        {
            var reference = sink is not null && targets.ChatId is not null
                ? await sink.StoreAsync(targets.UserId, targets.ChatId, targets.MessageId, file, cancellationToken)
                : new JsonObject { ["type"] = "file", ["name"] = file.Name, ["size"] = file.Content.Length };
            stored.Add(reference);
            // The artifact store lists a stored file on its message itself; otherwise the recorder does.
            if (targets.Recorder is not null && (sink is null || targets.MessageId is null))
            {
                await targets.Recorder.AddFileAsync(reference, cancellationToken);
            }
        }
        return stored;
    }
}

using System.Text.Json;
using Hearth.Server.Common;

namespace Hearth.Server.Chats.Transfer;

/// <summary>Writes a user's chats in Open WebUI's export format (the JSON array of GET /all), one chat in memory at a time.</summary>
internal sealed class ChatExporter(ChatQueries queries)
{
    public async Task<int> ExportAsync(string userId, Stream output, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(output);
        writer.WriteStartArray();
        var count = 0;
        await foreach (var chat in queries.StreamAsync(new ChatFilter(userId), cancellationToken))
        {
            JsonSerializer.Serialize(writer, chat, JsonSettings.Wire);
            if (++count % 100 == 0)
            {
                await writer.FlushAsync(cancellationToken);
                progress?.Report(count);
            }
        }
        writer.WriteEndArray();
        await writer.FlushAsync(cancellationToken);
        progress?.Report(count);
        return count;
    }
}

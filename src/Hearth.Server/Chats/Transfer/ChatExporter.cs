using System.Text.Json;
using Hearth.Server.Common;

namespace Hearth.Server.Chats.Transfer;

/// <summary>Writes a user's chats in Open WebUI's export format (the JSON array of GET /all), one chat in memory at a time.</summary>
internal sealed class ChatExporter(ChatQueries queries)
{
    /// <summary>How much written JSON may wait in memory before it goes to the output.</summary>
    private const int FlushBytes = 1 << 20;

    public async Task<int> ExportAsync(string userId, Stream output, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(output);
        writer.WriteStartArray();
        var count = 0;
        await foreach (var chat in queries.StreamAsync(new ChatFilter(userId), cancellationToken))
        {
            JsonSerializer.Serialize(writer, chat, JsonSettings.Wire);
            // The writer keeps everything until flushed: out as soon as a chat or two's worth waits, whatever the chats' size.
            if (writer.BytesPending >= FlushBytes)
            {
                await writer.FlushAsync(cancellationToken);
            }
            if (++count % 100 == 0)
            {
                progress?.Report(count);
            }
        }
        writer.WriteEndArray();
        await writer.FlushAsync(cancellationToken);
        progress?.Report(count);
        return count;
    }
}

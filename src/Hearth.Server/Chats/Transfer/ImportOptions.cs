using Hearth.Server.Hosting;

namespace Hearth.Server.Chats.Transfer;

/// <summary>
/// Limits on what an import reads, whether the export came over HTTP or from the <c>import</c> command: a 16 MB
/// zip can unpack to gigabytes, and one conversation is held in memory whole while it is converted.
/// </summary>
internal sealed class ImportOptions
{
    /// <summary>All an export <c>.zip</c> may unpack to: its conversations and the files they name (<c>IMPORT_MAX_UNPACKED_SIZE</c>).</summary>
    public long MaxUnpackedSize { get; set; } = 1024L * 1024 * 1024;

    /// <summary>The largest one conversation may be as JSON (<c>IMPORT_MAX_CHAT_SIZE</c>).</summary>
    public long MaxChatSize { get; set; } = 64L * 1024 * 1024;

    public static void MapEnvironment(ImportOptions options, IConfiguration configuration)
    {
        options.MaxUnpackedSize = Setting.Long(configuration, "IMPORT_MAX_UNPACKED_SIZE", 1024, long.MaxValue) ?? options.MaxUnpackedSize;
        options.MaxChatSize = Setting.Long(configuration, "IMPORT_MAX_CHAT_SIZE", 1024, long.MaxValue) ?? options.MaxChatSize;
    }
}

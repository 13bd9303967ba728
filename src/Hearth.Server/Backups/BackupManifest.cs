using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hearth.Server.Backups;

/// <summary>What a table's chunks held at backup: rows, chunks, bytes, and the SHA-256 of all its chunks in order.</summary>
internal sealed record TableSummary(string Name, long Rows, int Chunks, long Bytes, string Sha256);

/// <summary>The files copied: how many (sidecars apart) and their bytes.</summary>
internal sealed record FilesSummary(long Count, long Bytes, long Sidecars);

/// <summary>
/// The archive's last entry. <c>schema_version</c> is the highest migration applied to the database backed up;
/// <c>secret</c> says where the signing secret was: <c>file</c> (in the archive), <c>environment</c>
/// (WEBUI_SECRET_KEY, kept by whoever sets it) or <c>none</c>.
/// </summary>
internal sealed record BackupManifest(
    string Format, int FormatVersion, string HearthVersion, int SchemaVersion, string Database, DateTimeOffset CreatedAt,
    IReadOnlyList<TableSummary> Tables, FilesSummary Files, string Secret)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>The manifest, or null when the bytes are no manifest of this format.</summary>
    public static BackupManifest? Parse(byte[] bytes)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<BackupManifest>(bytes, Json);
            return manifest is { Format: BackupArchive.Format, Tables: not null, Files: not null } ? manifest : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

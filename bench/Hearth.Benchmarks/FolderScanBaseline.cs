using Dapper;
using Hearth.Server.ArtifactFiles;
using Microsoft.Data.Sqlite;

namespace Hearth.Benchmarks;

/// <summary>
/// The seed's reference design for the gallery: no rows per artifact, so every request lists each of the
/// user's conversation folders, stats every file in them, classifies, sorts newest first and pages. The caller
/// is authenticated as on every bare route (<see cref="BareAuth"/>).
/// </summary>
internal static class FolderScanBaseline
{
    public static void Map(RouteGroupBuilder api, string connectionString, string dataDir)
    {
        api.MapGet("/seed-design/artifacts", async (int page, int size, string type, HttpContext http) =>
        {
            var userId = BareAuth.Caller(http).Id;
            List<string> chats;
            await using (var connection = new SqliteConnection(connectionString))
            {
                chats = (await connection.QueryAsync<string>("SELECT id FROM chats WHERE user_id = @userId", new { userId })).ToList();
            }
            var files = new List<(FileInfo File, string Chat, string Kind)>();
            foreach (var chat in chats)
            {
                var folder = new DirectoryInfo(Path.Combine(dataDir, "uploads", "conversations", chat, "artifacts"));
                if (!folder.Exists)
                {
                    continue;
                }
                foreach (var file in folder.EnumerateFiles())
                {
                    var kind = FileKinds.Kind(file.Name, FileKinds.MimeType(file.Name, null));
                    if (type == FileKinds.All || kind == type)
                    {
                        files.Add((file, chat, kind));
                    }
                }
            }
            var items = files.OrderByDescending(f => f.File.LastWriteTimeUtc).ThenByDescending(f => f.File.Name)
                .Skip((page - 1) * size).Take(size)
                .Select(f => new
                {
                    id = Path.GetFileNameWithoutExtension(f.File.Name), name = f.File.Name, type = f.Kind, size = f.File.Length,
                    created_at = f.File.LastWriteTimeUtc, conversation_id = f.Chat
                });
            return Results.Json(new { items, total = files.Count, page, size, pages = (files.Count + size - 1) / size });
        });
    }
}

using System.Buffers;

namespace Hearth.Server.Common;

/// <summary>
/// A stream copied into a temporary file that deletes itself when closed: seekable and of known length (a zip, S3
/// and the artifact store want both) while memory stays bounded. The limit is checked while copying, so a source
/// larger than allowed costs at most the limit in disk before it is given up.
/// </summary>
internal static class TemporaryCopy
{
    private const int BufferSize = 81920;

    /// <summary>A copy of a source bounded elsewhere (a request body by Kestrel's limit, a file the operator chose).</summary>
    public static async Task<FileStream> FromAsync(Stream source, CancellationToken cancellationToken, string? folder = null) =>
        (await FromAsync(source, long.MaxValue, cancellationToken, folder))!;

    /// <summary>An empty temporary file that deletes itself when closed (in <paramref name="folder"/>, else the system's).</summary>
    public static FileStream Create(string? folder = null) =>
        new(Path.Combine(folder ?? Path.GetTempPath(), $".hearth-{Guid.NewGuid():N}.partial"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.Delete, BufferSize, FileOptions.Asynchronous | FileOptions.DeleteOnClose);

    /// <returns>The copy, positioned at its start; null when <paramref name="source"/> holds more than <paramref name="maxBytes"/> (nothing is kept).</returns>
    public static async Task<FileStream?> FromAsync(Stream source, long maxBytes, CancellationToken cancellationToken, string? folder = null)
    {
        var file = Create(folder);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long copied = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                copied += read;
                if (copied > maxBytes)
                {
                    await file.DisposeAsync();
                    return null;
                }
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

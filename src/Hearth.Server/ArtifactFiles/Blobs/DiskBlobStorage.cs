using System.Runtime.CompilerServices;

namespace Hearth.Server.ArtifactFiles.Blobs;

/// <summary>
/// Objects as files under the data directory. A put writes a temporary file beside the target, flushes it
/// to disk and renames it into place, so a crash leaves either the whole file or none.
/// </summary>
internal sealed class DiskBlobStorage : IBlobStorage
{
    private readonly string _root;

    public DiskBlobStorage(string root)
    {
        _root = root;
        // Closing the top of the tree closes every file under it, however an earlier version created them.
        Hosting.PrivateFiles.Narrow(Path.Combine(root, "uploads"));
    }

    public string Description => $"disk ({_root})";

    private string PathOf(string key)
    {
        var full = Path.GetFullPath(Path.Combine(_root, key));
        if (!full.StartsWith(Path.GetFullPath(_root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The key {key} leaves the storage folder.", nameof(key));
        }
        return full;
    }

    public async Task PutAsync(string key, Stream content, long length, string contentType, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        var start = content.CanSeek ? content.Position : -1;
        for (var attempt = 1; ; attempt++)
        {
            var temporary = $"{target}.{Guid.NewGuid():N}.partial";
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    await content.CopyToAsync(file, cancellationToken);
                    await file.FlushAsync(cancellationToken);
                    file.Flush(flushToDisk: true);
                }
                File.Move(temporary, target, overwrite: true);
                return;
            }
            catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException && start >= 0 && attempt < 3)
            {
                // A chat's folder is removed, after its deletion commits, while a file of the chat may still be on
                // its way in: written again, the file is there for the store, which then finds the chat gone and
                // removes it, instead of failing with the folder pulled from under it.
                Delete(temporary);
                content.Position = start;
            }
            catch
            {
                Delete(temporary);
                throw;
            }
        }
    }

    /// <summary>Deletes the file; a file whose folder went with its chat is already gone.</summary>
    private static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    public Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var folder = PathOf(prefix.TrimEnd('/'));
        for (var attempt = 1; Directory.Exists(folder); attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // Removed meanwhile by another deletion of the same chat: done.
                break;
            }
            catch (IOException) when (attempt < 3)
            {
                // A put still under way added a file after the listing ("not empty"): again.
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>The temporary files of puts that a crash cut short (a live put of another process is younger than <paramref name="before"/>).</summary>
    public Task<int> RemoveUnfinishedAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_root, "uploads");
        var removed = 0;
        if (!Directory.Exists(folder))
        {
            return Task.FromResult(0);
        }
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*.partial", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.LastWriteTimeUtc < before.UtcDateTime)
            {
                file.Delete();
                removed++;
            }
        }
        return Task.FromResult(removed);
    }

    public async IAsyncEnumerable<BlobEntry> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var folder = PathOf(prefix.TrimEnd('/'));
        if (!Directory.Exists(folder))
        {
            yield break;
        }
        var rootLength = Path.GetFullPath(_root).TrimEnd(Path.DirectorySeparatorChar).Length + 1;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.Name.EndsWith(".partial", StringComparison.Ordinal))
            {
                continue;
            }
            yield return new BlobEntry(file.FullName[rootLength..].Replace(Path.DirectorySeparatorChar, '/'), file.Length, file.LastWriteTimeUtc);
        }
        await Task.CompletedTask;
    }
}

namespace Hearth.Server.Audit;

/// <summary>
/// An exclusive lock between processes on a lock file that is never renamed (a lock on the log itself would stay on
/// the old file after another process rotated it). On Linux and macOS .NET takes it with <c>flock</c> when the file is
/// opened without sharing; a process that dies releases it.
/// </summary>
internal static class AuditFileLock
{
    public static async Task<IDisposable> TakeAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        for (var wait = 1; ; wait = Math.Min(wait * 2, 50))
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            }
            catch (IOException) when (DateTime.UtcNow < deadline && File.Exists(path))
            {
                // Held by another process's append, which takes milliseconds.
                await Task.Delay(wait);
            }
        }
    }
}

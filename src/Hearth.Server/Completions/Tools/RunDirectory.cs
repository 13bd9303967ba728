using System.Diagnostics;

namespace Hearth.Server.Completions.Tools;

/// <summary>
/// Removes a <c>python_exec</c> run's directory once nothing of the run is left. On Unix that is <c>rm -rf</c>:
/// .NET cannot name an entry whose name is not valid UTF-8 (the directory would stay behind), and GNU rm descends
/// with <c>openat</c> and <c>O_NOFOLLOW</c>, so even as root it deletes a link as a link and never goes through a
/// directory swapped for one mid-delete. Under a root Hearth no process of the run is left to swap anything (every
/// process of its user is killed first, see <see cref="RunUser"/>); a Hearth that is not root runs the code as
/// itself, so a link followed could only reach what the code could already delete.
/// </summary>
internal static class RunDirectory
{
    public static void Remove(string directory, ILogger logger)
    {
        for (var attempt = 1; ; attempt++)
        {
            var failure = TryRemove(directory);
            if (failure is null || !Directory.Exists(directory))
            {
                return;
            }
            if (attempt == 3 || OperatingSystem.IsWindows())
            {
                logger.LogWarning("Could not remove the python_exec directory {Directory}: {Failure}", directory, failure);
                return;
            }
            // The code may have taken the owner's rights away from a folder in it (a Hearth that is not root runs it
            // as itself): give them back and try again. Root is never refused, so it never changes modes here.
            if (!Environment.IsPrivilegedProcess)
            {
                GiveOwnerRights(directory);
            }
        }
    }

    /// <summary>Null once removed, otherwise what went wrong.</summary>
    private static string? TryRemove(string directory)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.Delete(directory, recursive: true);
                return null;
            }
            using var rm = Process.Start(new ProcessStartInfo("rm", ["-rf", "--", directory]) { RedirectStandardError = true })!;
            var error = rm.StandardError.ReadToEnd();
            rm.WaitForExit();
            return rm.ExitCode == 0 ? null : error.Trim();
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return e.Message;
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void GiveOwnerRights(string directory)
    {
        try
        {
            File.SetUnixFileMode(directory, File.GetUnixFileMode(directory) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            foreach (var child in Directory.EnumerateDirectories(directory))
            {
                if (new DirectoryInfo(child).LinkTarget is null)
                {
                    GiveOwnerRights(child);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not this one's owner, or gone meanwhile: the next attempt says what is left.
        }
    }
}

using System.Runtime.InteropServices;

namespace Hearth.Server.Hosting;

/// <summary>
/// Hearth's files are its own alone, whatever the mode of the folder they are in (a mounted volume is often 0755):
/// the process's file-creation mask is 077, so every file and folder it creates (the database and its journal, the
/// signing secret, uploads, temporary files) is readable by its owner only, and at start-up the entries an earlier
/// version left with wider modes are narrowed. Closing the top of a tree (<c>uploads/</c>) closes all of it.
/// </summary>
internal static class PrivateFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Sets the file-creation mask for the whole process; once, before anything is created.</summary>
    public static void ApplyMask()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Umask(Convert.ToUInt32("077", 8));
        }
    }

    /// <summary>Creates a folder (and any missing parents) that only Hearth's own user may enter (tools run as another user).</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnly);
        }
    }

    /// <summary>Takes group and other permissions away from a file or folder Hearth keeps (never following a link); absent entries are skipped.</summary>
    public static void Narrow(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        try
        {
            var info = new FileInfo(path);
            if ((!info.Exists && !Directory.Exists(path)) || info.LinkTarget is not null)
            {
                return;
            }
            var mode = File.GetUnixFileMode(path);
            if ((mode & Others) != 0)
            {
                File.SetUnixFileMode(path, mode & OwnerOnly);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Hearth's to change (another owner): left as it is, and the sandbox still hides it from runs.
        }
    }

    // DllImport, as RunKiller's kill: an int needs no generated marshalling.
    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}

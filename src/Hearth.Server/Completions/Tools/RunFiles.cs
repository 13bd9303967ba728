using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Hearth.Server.Completions.Tools;

/// <summary>
/// The files a <c>python_exec</c> run left, read back as artifacts: regular files only, never through a link.
/// Links are skipped when the directory is listed; each file is then opened without following a link or waiting on
/// a pipe, must be seekable, and must be where the kernel says the opened file is. That is against a process that
/// escaped the kill and swaps a listed file for a link (Hearth may be root, the link could point at its secret) or a
/// pipe. Under a root Hearth every run has a user of its own whose processes are all killed before this reads
/// (<see cref="RunUser"/>, <see cref="RunKiller"/>), so no such process is left and these checks are a second line,
/// kept small. Files the code made unreadable, whose names cannot be found again, or that grew past the limit are skipped.
/// </summary>
internal static class RunFiles
{
    /// <summary>
    /// The directory as the kernel names it (the temp path may pass through a link), from the script Hearth wrote:
    /// taken before the code runs, which could replace the script. Null where /proc cannot tell.
    /// </summary>
    public static string? KernelDirectory(string script)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        try
        {
            using var handle = File.OpenHandle(script);
            return OpenedPath(handle) is { } path ? Path.GetDirectoryName(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static List<ToolFile> Collect(string directory, string? kernelDirectory, string script, long maxBytes)
    {
        var listed = Directory.EnumerateFiles(directory, "*", new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
            IgnoreInaccessible = true,
        });
        var files = new List<ToolFile>();
        foreach (var path in listed.Where(f => f != script && !f.Contains("__pycache__", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (Read(Path.GetRelativePath(directory, path), path, kernelDirectory, maxBytes) is { } file)
            {
                files.Add(file);
            }
        }
        return files;
    }

    private static ToolFile? Read(string name, string path, string? kernelDirectory, long maxBytes)
    {
        try
        {
            // Looked at here, inside the try, not while listing: a name that is not valid UTF-8 is listed with a
            // replacement character and cannot be found again, and a file can vanish; either is skipped, not fatal.
            var entry = new FileInfo(path);
            if (entry.LinkTarget is not null || entry.Length == 0 || entry.Length > maxBytes)
            {
                return null;
            }
            using var stream = Open(path);
            // Only a regular file seeks (a pipe or socket does not; a directory fails the first read), and only the
            // file that was listed is where it was listed.
            if (!stream.CanSeek || kernelDirectory is not null && OpenedPath(stream.SafeFileHandle) != Path.Combine(kernelDirectory, name))
            {
                return null;
            }
            using var content = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk)) > 0)
            {
                if (content.Length + read > maxBytes)
                {
                    return null;
                }
                content.Write(chunk, 0, read);
            }
            return content.Length == 0 ? null : new ToolFile(name, content.ToArray());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// On Linux, opened with <c>O_NOFOLLOW | O_NONBLOCK</c>, which .NET cannot ask for: a link swapped in after the
    /// listing is refused by the kernel, and a pipe swapped in opens at once instead of waiting for a writer forever.
    /// </summary>
    private static FileStream Open(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
        var descriptor = OpenFile(path, ReadOnly | NonBlocking | NoFollow | CloseOnExec);
        if (descriptor < 0)
        {
            throw new IOException($"Could not open {path}: errno {Marshal.GetLastPInvokeError()}");
        }
        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        try
        {
            return new FileStream(handle, FileAccess.Read, bufferSize: 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    // Linux's open flags; O_NOFOLLOW is one of the few whose number differs between architectures.
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private static readonly int NoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Ppc64le ? 0x8000 : 0x20000;

    // DllImport, as RunKiller's kill: a string and two ints need no generated marshalling.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenFile([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    private static string? OpenedPath(SafeFileHandle handle) => new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}").LinkTarget;
}

using Microsoft.Win32.SafeHandles;

namespace Hearth.Server.Completions.Tools;

/// <summary>
/// The files a <c>python_exec</c> run left, read back as artifacts: regular files only, never through a link.
/// Links are skipped when the directory is listed, and each opened file is checked against where the kernel says
/// it is, because a process that escaped the kill could swap a listed file for a link before it is read (Hearth
/// may be root, the link could point at its secret). Empty entries are skipped, which covers named pipes that
/// would block a read, and so are files the code made unreadable and files that grew past the limit meanwhile.
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
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            if (kernelDirectory is not null && OpenedPath(stream.SafeFileHandle) != Path.Combine(kernelDirectory, name))
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

    private static string? OpenedPath(SafeFileHandle handle) => new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}").LinkTarget;
}

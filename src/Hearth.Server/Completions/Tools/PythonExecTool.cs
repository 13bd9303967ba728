using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Completions.Tools;

/// <summary>
/// <c>python_exec</c>: runs Python in a fresh working directory through <see cref="PythonSandbox"/>, with a time
/// limit (every process of the run is killed), an address-space limit (<c>ulimit -v</c>), truncated output, and
/// no network (a network namespace of its own via <c>unshare</c>, where the system allows it), and under a root
/// Hearth a user of its own (<see cref="RunUser"/>). Every regular file the run writes becomes an artifact; the
/// directory is removed afterwards, once nothing of the run is left to write in it.
/// </summary>
internal sealed class PythonExecTool(IOptions<PythonExecOptions> options, ILogger<PythonExecTool> logger) : ITool
{
    public string Id => "python_exec";
    public string Description => "Run Python 3 code. Files the code writes to the current directory (charts, HTML, CSV, JSON) are saved for the user.";
    public JsonObject Parameters => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject { ["code"] = new JsonObject { ["type"] = "string", ["description"] = "The Python program to run" } },
        ["required"] = new JsonArray("code"),
    };

    public async Task<ToolResult> RunAsync(JsonObject arguments, CancellationToken cancellationToken)
    {
        if (Chats.MessageTree.String(arguments["code"]) is not { } code)
        {
            return new ToolResult("The argument 'code' (a string) is required.", [], IsError: true);
        }
        var limits = options.Value;
        var directory = Directory.CreateTempSubdirectory("hearth-python-").FullName;
        RunUser? user = null;
        try
        {
            var script = Path.Combine(directory, ".hearth_main.py");
            await File.WriteAllTextAsync(script, code, cancellationToken);
            var kernelDirectory = RunFiles.KernelDirectory(script);
            user = RunUser.Take(directory, script);
            var run = await PythonSandbox.RunAsync(directory, script, user, limits, logger, cancellationToken);
            var files = RunFiles.Collect(directory, kernelDirectory, script, limits.MaxFileBytes);
            var text = new StringBuilder();
            text.Append(run.Output);
            if (run.Truncated)
            {
                text.Append($"\n[output truncated at {limits.OutputBytes} bytes]");
            }
            var error = run.TimedOut ? $"\n[killed: the run exceeded the time limit of {limits.Timeout.TotalSeconds:F0} s]"
                : run.ExitCode != 0 ? $"\n[exit code {run.ExitCode}]" : "";
            return new ToolResult(text.Append(error).ToString(), files, IsError: run.TimedOut || run.ExitCode != 0);
        }
        finally
        {
            TryDelete(directory);
            // Only now may another run have the id: nothing of this one is left running or on disk.
            user?.Dispose();
        }
    }

    /// <summary>
    /// Removes the directory once the run is dead. The code may have taken the owner's rights away from a folder in
    /// it (a Hearth that is not root runs it as itself), so a refusal gives them back and tries again. Root is never
    /// refused and never changes modes here: a daemon that escaped the kill could swap a folder for a link meanwhile.
    /// </summary>
    private void TryDelete(string directory)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 3 || OperatingSystem.IsWindows())
                {
                    logger.LogWarning(e, "Could not remove the python_exec directory {Directory}", directory);
                    return;
                }
                if (e is UnauthorizedAccessException && Environment.UserName != "root")
                {
                    GiveOwnerRights(directory);
                }
            }
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

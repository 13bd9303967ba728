using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Completions.Tools;

/// <summary>
/// <c>python_exec</c>: runs Python in a fresh working directory through <see cref="PythonSandbox"/>: a root of its
/// own where namespaces are permitted (<see cref="RunNamespaces"/>), with a time limit (every process of the run is
/// killed), memory and process limits for the whole run where a control group can be made (<see cref="RunCgroup"/>)
/// and per process always, a bounded private filesystem, truncated output, no network, and under a root Hearth a user
/// of its own (<see cref="RunUser"/>). Every regular file the run leaves in its working directory becomes an
/// artifact; the run's folder is removed afterwards (<see cref="RunDirectory"/>), once nothing of the run is left.
/// </summary>
internal sealed class PythonExecTool(IOptions<PythonExecOptions> options, ILogger<PythonExecTool> logger) : ITool
{
    public string Id => "python_exec";
    // Running code on the server is Open WebUI's code interpreter: off for users until an admin grants it.
    public string? Permission => "features.code_interpreter";
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
        if (!Sandboxed(limits))
        {
            return new ToolResult(Unsandboxed, [], IsError: true);
        }
        // The run's folder is Hearth's: others may pass through it (0711) to the working directory, which is the
        // run's user's alone, but not list it. Isolated, the code never sees it at all.
        var runFolder = Directory.CreateTempSubdirectory("hearth-python-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(runFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        RunUser? user = null;
        try
        {
            var directory = Directory.CreateDirectory(Path.Combine(runFolder, "work")).FullName;
            Directory.CreateDirectory(Path.Combine(runFolder, "root"));
            var script = Path.Combine(directory, ".hearth_main.py");
            await File.WriteAllTextAsync(script, code, cancellationToken);
            var kernelDirectory = RunFiles.KernelDirectory(script);
            user = RunUser.Take(directory, script);
            var run = await PythonSandbox.RunAsync(runFolder, directory, script, user, limits, logger, cancellationToken);
            var files = RunFiles.Collect(directory, kernelDirectory, script, limits.MaxFileBytes);
            var text = new StringBuilder();
            text.Append(run.Output);
            if (run.Truncated)
            {
                text.Append($"\n[output truncated at {limits.OutputBytes} bytes]");
            }
            var error = run.TimedOut ? $"\n[killed: the run exceeded the time limit of {limits.Timeout.TotalSeconds:F0} s]"
                : run.OutOfMemory ? $"\n[killed: the run exceeded the memory limit of {limits.MemoryBytes / 1048576} MB]"
                : run.ExitCode != 0 ? $"\n[exit code {run.ExitCode}]" : "";
            return new ToolResult(text.Append(error).ToString(), files, IsError: run.TimedOut || run.OutOfMemory || run.ExitCode != 0);
        }
        finally
        {
            RunDirectory.Remove(runFolder, logger);
            // Only now may another run have the id: nothing of this one is left running or on disk.
            user?.Dispose();
        }
    }

    internal const string Unsandboxed = "python_exec cannot run here: this system permits no namespaces for a run (unshare) and Hearth is not root, " +
        "so the code would run as Hearth itself and could read its data. Run Hearth as root (as in a container) or allow unprivileged user namespaces.";

    /// <summary>
    /// Whether the code is kept from Hearth's data: by a root of its own (namespaces), or by a user of its own (a root
    /// Hearth). Without either it would be Hearth itself, so it does not run at all.
    /// </summary>
    private static bool Sandboxed(PythonExecOptions limits) =>
        (limits.Namespaces && RunNamespaces.Available) || RunUser.Drops;
}

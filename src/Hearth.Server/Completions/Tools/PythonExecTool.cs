using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Completions.Tools;

/// <summary>
/// <c>python_exec</c>: runs Python in a fresh working directory through <see cref="PythonSandbox"/>, with a time
/// limit (every process of the run is killed), an address-space limit (<c>ulimit -v</c>), truncated output, and
/// no network (a network namespace of its own via <c>unshare</c>, where the system allows it), and under a root
/// Hearth a user of its own (<see cref="RunUser"/>). Every regular file the run writes becomes an artifact; the
/// directory is removed afterwards (<see cref="RunDirectory"/>), once nothing of the run is left to write in it.
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
            RunDirectory.Remove(directory, logger);
            // Only now may another run have the id: nothing of this one is left running or on disk.
            user?.Dispose();
        }
    }
}

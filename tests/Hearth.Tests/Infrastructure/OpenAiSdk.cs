using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// Runs a script against Hearth with the official <c>openai</c> npm package (test.sh installs it under <c>.tools/</c>),
/// so what is tested is what that SDK makes of Hearth's answers, not what a test thinks it would.
/// </summary>
internal static class OpenAiSdk
{
    /// <summary>
    /// Defined for every script: <c>client</c> (an <c>OpenAI</c> on <c>BASE_URL</c> with <c>API_KEY</c>, no retries),
    /// <c>attempt(name, fn)</c> (records what <c>fn</c> answered, or the error the SDK threw: its class, status,
    /// message, type, code and param), and the records printed as one JSON object at the end.
    /// </summary>
    private const string Prelude = """
        const { OpenAI } = require('openai');
        const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0 });
        const results = {};
        async function attempt(name, fn) {
          try {
            results[name] = { ok: await fn() };
          } catch (e) {
            results[name] = { error: { class: e.constructor.name, status: e.status ?? null, message: e.message,
              type: e.type ?? null, code: e.code ?? null, param: e.param ?? null } };
          }
        }
        """;

    /// <returns>One member per <c>attempt</c>: <c>{"ok": value}</c> or <c>{"error": {...}}</c>.</returns>
    public static async Task<JsonObject> RunAsync(Uri baseUrl, string apiKey, string script)
    {
        var modules = RepositoryFiles.Tool("node_modules", "openai", "package.json") is not null
            ? RepositoryFiles.Tool("node_modules")!
            : throw new InvalidOperationException(
                "The openai npm package is not in .tools/node_modules: run ./test.sh, which installs it (npm install openai@6.30.1 in .tools/).");
        var file = Path.Combine(Directory.CreateTempSubdirectory("hearth-openai-").FullName, "client.cjs");
        await File.WriteAllTextAsync(file, $"{Prelude}\n(async () => {{\n{script}\n}})().then(() => console.log(JSON.stringify(results)));\n");
        var start = new ProcessStartInfo("node", [file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["NODE_PATH"] = modules, ["BASE_URL"] = baseUrl.ToString(), ["API_KEY"] = apiKey },
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        try
        {
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
        var text = await output;
        Assert.True(node.ExitCode == 0, $"node exited with {node.ExitCode}: {await errors}");
        return JsonNode.Parse(text.Trim().Split('\n')[^1])!.AsObject();
    }

    /// <summary>The error an attempt ended with (fails the test when it succeeded).</summary>
    public static JsonObject Error(JsonObject results, string name) =>
        results[name]?["error"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"{name} did not fail: {results[name]?.ToJsonString()}");

    /// <summary>The value an attempt answered (fails the test when it threw).</summary>
    public static JsonNode Ok(JsonObject results, string name) =>
        results[name]?["ok"] ?? throw new Xunit.Sdk.XunitException($"{name} failed: {results[name]?.ToJsonString()}");
}

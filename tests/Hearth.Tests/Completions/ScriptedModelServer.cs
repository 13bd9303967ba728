using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hearth.Tests.Completions;

/// <summary>
/// A scripted reply: what the stand-in model server answers to one completion request. With a
/// <see cref="ChunkGate"/>, each streamed chunk (or a whole answer) waits for one release of it: the test decides when the stream moves on.
/// With <see cref="BreakOff"/>, a stream stops after its chunks in the middle of a line: an OpenAI stream then drops
/// the connection (after one more release of the gate, when there is one: data not yet sent is lost in a drop), an
/// Ollama stream ends there.
/// </summary>
public sealed record Script(string[] Chunks, int Status = 200, string? ErrorBody = null, TimeSpan? ChunkDelay = null,
    TimeSpan? FirstByteDelay = null, JsonObject? ToolCall = null, JsonObject? Usage = null, JsonObject? Extra = null,
    SemaphoreSlim? ChunkGate = null, bool BreakOff = false);

/// <summary>
/// A stand-in for the external model servers (OpenAI-compatible and Ollama) on a loopback port, answering
/// from scripts and recording every request it receives. Hearth's own parts under test are all real.
/// </summary>
public sealed class ScriptedModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Script> _scripts = new();

    public ConcurrentQueue<JsonObject> Requests { get; } = new();
    public string[] Models { get; set; } = ["gpt-test"];

    /// <summary>How many times the model list was asked for (either API's).</summary>
    public int Listings => Volatile.Read(ref _listings);

    private int _listings;
    public Uri Address => new(_app.Urls.First());

    private ScriptedModelServer(WebApplication app) => _app = app;

    public void Enqueue(params Script[] scripts)
    {
        foreach (var script in scripts)
        {
            _scripts.Enqueue(script);
        }
    }

    public static async Task<ScriptedModelServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new ScriptedModelServer(app);
        app.MapGet("/v1/models", () => server.Listed(new { data = server.Models.Select(m => new { id = m, @object = "model" }) }));
        app.MapGet("/api/tags", () => server.Listed(new { models = server.Models.Select(m => new { name = m, model = m }) }));
        app.MapPost("/v1/chat/completions", (HttpContext http) => server.AnswerAsync(http, ollama: false));
        app.MapPost("/api/chat", (HttpContext http) => server.AnswerAsync(http, ollama: true));
        await app.StartAsync();
        return server;
    }

    private IResult Listed(object list)
    {
        Interlocked.Increment(ref _listings);
        return Results.Json(list);
    }

    private async Task AnswerAsync(HttpContext http, bool ollama)
    {
        var request = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync())!.AsObject();
        Requests.Enqueue(request);
        var script = _scripts.TryDequeue(out var next) ? next : new Script(["Hello", " world"]);
        if (script.FirstByteDelay is { } wait)
        {
            await Task.Delay(wait);
        }
        if (script.Status != 200)
        {
            http.Response.StatusCode = script.Status;
            await http.Response.WriteAsync(script.ErrorBody ?? """{"error":{"message":"scripted failure"}}""");
            return;
        }
        var stream = request["stream"]?.GetValue<bool>() ?? false;
        if (ollama)
        {
            await OllamaAsync(http, script, stream);
        }
        else if (stream)
        {
            await OpenAiStreamAsync(http, script);
        }
        else
        {
            if (script.ChunkGate is { } gate)
            {
                // A whole answer waits for one release: the test decides when it comes.
                await gate.WaitAsync(TimeSpan.FromMinutes(1), http.RequestAborted);
            }
            await http.Response.WriteAsync(OpenAiCompletion(script).ToJsonString());
        }
    }

    private static JsonObject OpenAiCompletion(Script script)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = script.ToolCall is null ? string.Concat(script.Chunks) : null };
        if (script.ToolCall is not null)
        {
            message["tool_calls"] = new JsonArray(script.ToolCall.DeepClone());
        }
        var completion = new JsonObject
        {
            ["id"] = "chatcmpl-scripted", ["object"] = "chat.completion", ["created"] = 1_700_000_000, ["model"] = "gpt-test",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = script.ToolCall is null ? "stop" : "tool_calls" }),
            ["usage"] = script.Usage?.DeepClone(),
        };
        foreach (var (key, value) in script.Extra ?? [])
        {
            completion[key] = value?.DeepClone();
        }
        return completion;
    }

    private static async Task OpenAiStreamAsync(HttpContext http, Script script)
    {
        http.Response.ContentType = "text/event-stream";
        async Task Send(JsonObject chunk)
        {
            await http.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n");
            await http.Response.Body.FlushAsync();
        }
        JsonObject Chunk(JsonObject delta, string? finish) => new()
        {
            ["id"] = "chatcmpl-scripted", ["object"] = "chat.completion.chunk", ["created"] = 1_700_000_000, ["model"] = "gpt-test",
            ["system_fingerprint"] = "fp_scripted", ["x_unknown"] = new JsonObject { ["kept"] = true },
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
        };
        if (script.ToolCall is not null)
        {
            var call = (JsonObject)script.ToolCall.DeepClone();
            call["index"] = 0;
            await Send(Chunk(new JsonObject { ["tool_calls"] = new JsonArray(call) }, null));
            await Send(Chunk(new JsonObject(), "tool_calls"));
        }
        else
        {
            foreach (var text in script.Chunks)
            {
                if (script.ChunkGate is { } gate)
                {
                    // Bounded, so a failed test never leaves the server waiting forever.
                    await gate.WaitAsync(TimeSpan.FromMinutes(1), http.RequestAborted);
                }
                await Send(Chunk(new JsonObject { ["content"] = text }, null));
                if (script.ChunkDelay is { } delay)
                {
                    await Task.Delay(delay);
                }
            }
            if (script.BreakOff)
            {
                if (script.ChunkGate is { } gate)
                {
                    await gate.WaitAsync(TimeSpan.FromMinutes(1), http.RequestAborted);
                }
                await http.Response.WriteAsync("data: {\"id\":\"chatcmpl-scri");
                await http.Response.Body.FlushAsync();
                http.Abort();
                return;
            }
            var last = Chunk(new JsonObject(), "stop");
            if (script.Usage is not null)
            {
                last["usage"] = script.Usage.DeepClone();
            }
            await Send(last);
        }
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static async Task OllamaAsync(HttpContext http, Script script, bool stream)
    {
        http.Response.ContentType = "application/x-ndjson";
        if (!stream)
        {
            await http.Response.WriteAsync(new JsonObject
            {
                ["model"] = "gpt-test", ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = string.Concat(script.Chunks) },
                ["done"] = true, ["prompt_eval_count"] = 3, ["eval_count"] = 5,
            }.ToJsonString());
            return;
        }
        var lines = new StringBuilder();
        foreach (var text in script.Chunks)
        {
            await http.Response.WriteAsync(new JsonObject
            {
                ["model"] = "gpt-test", ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text }, ["done"] = false,
            }.ToJsonString() + "\n");
            await http.Response.Body.FlushAsync();
        }
        if (script.BreakOff)
        {
            await http.Response.WriteAsync("{\"model\": \"gpt-te");
            return;
        }
        await http.Response.WriteAsync(new JsonObject
        {
            ["model"] = "gpt-test", ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "" }, ["done"] = true,
            ["prompt_eval_count"] = 3, ["eval_count"] = 5,
        }.ToJsonString() + "\n");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

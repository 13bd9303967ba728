using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Completions.Tools;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Completions;

/// <summary>
/// <c>template_render</c> is bounded while it renders: a 131-byte template of five nested <c>{{#each}}</c> over
/// 100 items asks for 10^10 passes, and unbounded it grew the process by 28 MB/s and kept on after the client left.
/// </summary>
public abstract class TemplateRenderLimitTests(DatabaseKind kind) : HearthTest(kind)
{
    private static readonly string Bomb = string.Concat(Enumerable.Repeat("{{#each @root.a}}", 5)) + "x" + string.Concat(Enumerable.Repeat("{{/each}}", 5));
    private static readonly string SilentBomb = string.Concat(Enumerable.Repeat("{{#each @root.a}}", 5)) + string.Concat(Enumerable.Repeat("{{/each}}", 5));
    private static readonly int[] Hundred = Enumerable.Range(0, 100).ToArray();

    private static Task<HttpResponseMessage> Render(TestUser user, string template, object data, CancellationToken cancellationToken = default) =>
        user.Client.PostAsJsonAsync("/api/v1/tools/template_render/run", new { arguments = new { template, data } }, cancellationToken);

    private static async Task<string> AssertToolErrorAsync(HttpResponseMessage response)
    {
        var result = await Json.ReadObjectAsync(response, 200);
        Assert.True(result["is_error"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Empty(result["files"]!.AsArray());
        return result["content"]!.GetValue<string>();
    }

    [Fact]
    public async Task TheNestedEachBombStopsAtTheBlockLimit()
    {
        // Only the block limit can stop it here: the time limit is out of reach, whatever the machine's speed.
        await using var app = await StartAsync(new Dictionary<string, string?> { ["TEMPLATE_RENDER_TIMEOUT"] = "3600" });
        var ada = await app.SignUpAsync("Ada");
        Assert.Equal(131, Bomb.Length);
        var message = await AssertToolErrorAsync(await Render(ada, Bomb, new { a = Hundred }));
        Assert.Equal("The template stopped: it rendered more than 1000000 blocks (loop passes, sections and partials; setting TEMPLATE_RENDER_MAX_BLOCKS).", message);

        // A template within the limits renders as before.
        var fine = await Json.ReadObjectAsync(await Render(ada, "{{#each a}}{{this}},{{/each}}", new { a = Hundred.Take(3) }), 200);
        Assert.False(fine["is_error"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PartialsThatCallThemselvesTwiceStopAtTheBlockLimit()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["TEMPLATE_RENDER_TIMEOUT"] = "3600", ["TEMPLATE_RENDER_MAX_BLOCKS"] = "10000" });
        var ada = await app.SignUpAsync("Ada");
        // No loop and no output: a partial that calls itself twice per level of 40 nested objects is 2^40 calls,
        // within the library's own limit of 100 nested partials.
        var data = new JsonObject();
        for (var level = 0; level < 40; level++)
        {
            data = new JsonObject { ["c"] = data };
        }
        var message = await AssertToolErrorAsync(await Render(ada, """{{#*inline "p"}}{{#with c}}{{> p}}{{> p}}{{/with}}{{/inline}}{{> p}}""", data));
        Assert.Contains("more than 10000 blocks", message);
    }

    [Fact]
    public async Task OutputStopsAtTheOutputLimit()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["TEMPLATE_RENDER_MAX_OUTPUT_BYTES"] = "1024" });
        var ada = await app.SignUpAsync("Ada");
        var line = new string('é', 50); // 100 bytes in UTF-8
        var message = await AssertToolErrorAsync(await Render(ada, "{{#each a}}{{{@root.line}}}{{/each}}", new { a = Hundred.Take(11), line }));
        Assert.Equal("The template stopped: its output passed 1024 bytes (setting TEMPLATE_RENDER_MAX_OUTPUT_BYTES).", message);

        var fits = await Json.ReadObjectAsync(await Render(ada, "{{#each a}}{{{@root.line}}}{{/each}}", new { a = Hundred.Take(10), line }), 200);
        Assert.Equal("Rendered report.html (1000 bytes).", fits["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARenderPastTheTimeLimitStops()
    {
        // No output and no block limit: only the clock can stop the 10^10 passes.
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["TEMPLATE_RENDER_TIMEOUT"] = "1",
            ["TEMPLATE_RENDER_MAX_BLOCKS"] = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var ada = await app.SignUpAsync("Ada");
        var message = await AssertToolErrorAsync(await Render(ada, SilentBomb, new { a = Hundred }));
        Assert.Equal("The template stopped: it took longer than 1 s to render (setting TEMPLATE_RENDER_TIMEOUT).", message);
    }

    [Fact]
    public async Task AClientThatLeavesStopsTheRender()
    {
        // Only the client leaving can stop this render.
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["TEMPLATE_RENDER_TIMEOUT"] = "3600",
            ["TEMPLATE_RENDER_MAX_BLOCKS"] = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var ada = await app.SignUpAsync("Ada");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This app's meter only: other tests render in the same process.
            if (instrument.Meter.Scope == meters && instrument.Meter.Name == TemplateRenderTool.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "hearth.template_render.active" && value > 0)
            {
                started.TrySetResult();
            }
            foreach (var tag in tags)
            {
                if (instrument.Name == "hearth.template_render.renders" && tag is { Key: "outcome", Value: "cancelled" })
                {
                    cancelled.TrySetResult();
                }
            }
        });
        listener.Start();

        using var leave = new CancellationTokenSource();
        var request = Render(ada, SilentBomb, new { a = Hundred }, leave.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        // The render notices the closed connection and stops (unbounded, it would run for the hour).
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}

public sealed class TemplateRenderSettingsTests
{
    [Theory]
    [InlineData("TEMPLATE_RENDER_TIMEOUT", "0")]
    [InlineData("TEMPLATE_RENDER_MAX_OUTPUT_BYTES", "5MB")]
    [InlineData("TEMPLATE_RENDER_MAX_BLOCKS", "-1")]
    public async Task ABadTemplateSettingStopsTheServerNamingIt(string name, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { [name] = value });
        });
        Assert.Contains(name, error.ToString());
    }
}

// On SQLite only: the limits bound the render itself, which reads and writes nothing of the database.
public sealed class TemplateRenderLimitTestsOnSqlite() : TemplateRenderLimitTests(DatabaseKind.Sqlite);

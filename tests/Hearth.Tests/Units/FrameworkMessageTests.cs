using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Common;
using Hearth.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hearth.Tests.Units;

/// <summary>
/// System.Text.Json tells a missing required property and a value of the wrong type apart only by its message's
/// words, which <c>RequestErrorHandler</c> reads to name the field as FastAPI would. These pin those words: a
/// .NET update that rewords them fails here, by name, before clients get <c>json_invalid</c> for everything.
/// (The route binder's words, "Required parameter … was not provided", are pinned by <c>BadInputTests</c> over HTTP.)
/// </summary>
public sealed class FrameworkMessageTests
{
    private sealed record Form(string Name, int Count)
    {
        public required string Title { get; init; }
    }

    [Fact]
    public async Task AMissingRequiredPropertyIsNamed()
    {
        var issue = await IssueAsync("""{"name": "a", "count": 1}""");
        Assert.Equal(("missing", "title"), (issue["type"]!.GetValue<string>(), issue["loc"]![1]!.GetValue<string>()));
    }

    [Fact]
    public async Task AValueOfTheWrongTypeIsATypeErrorAtItsPath()
    {
        var issue = await IssueAsync("""{"name": "a", "count": "many", "title": "t"}""");
        Assert.Equal(("type_error", "count"), (issue["type"]!.GetValue<string>(), issue["loc"]![1]!.GetValue<string>()));
    }

    [Fact]
    public async Task BrokenJsonIsJsonInvalid()
    {
        var issue = await IssueAsync("""{"name": """);
        Assert.Equal("json_invalid", issue["type"]!.GetValue<string>());
    }

    private static async Task<JsonNode> IssueAsync(string body)
    {
        var error = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Form>(body, JsonSettings.Wire));
        var handler = new RequestErrorHandler(NullLogger<RequestErrorHandler>.Instance, Options.Create(new ServerOptions()));
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        Assert.True(await handler.TryHandleAsync(context, new BadHttpRequestException("bad body", error), default));
        Assert.Equal(422, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        return JsonNode.Parse(context.Response.Body)!["detail"]![0]!;
    }
}

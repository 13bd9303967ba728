using System.Text.Json.Nodes;
using Hearth.Server.Access;
using Hearth.Server.Auth;
using Hearth.Server.Completions;
using Hearth.Server.Models;

namespace Hearth.Tests.Units;

/// <summary>The pure parts of groups, grants and workspace models: combining permissions, reading grants, applying an entry.</summary>
public sealed class AccessLogicTests
{
    [Fact]
    public void AGroupTurnsSwitchesOnButNeverOff()
    {
        var current = JsonNode.Parse("""{"chat": {"delete": false, "edit": true}, "features": {"folders": true}}""")!.AsObject();
        DefaultPermissions.Combine(current, JsonNode.Parse("""{"chat": {"delete": true, "edit": false}, "features": {"folders": false}, "extra": {"x": true}}""")!.AsObject());
        Assert.Equal("""{"chat":{"delete":true,"edit":true},"features":{"folders":true},"extra":{"x":true}}""", current.ToJsonString());
    }

    [Fact]
    public void GrantsReachTheUserEveryoneAndTheirGroupsAndWriteImpliesRead()
    {
        var reach = new AccessReach("u1", new HashSet<string> { "g1" });
        Assert.True(reach.Allows([new AccessGrant("user", "u1", "read")], "read"));
        Assert.True(reach.Allows([new AccessGrant("user", "*", "read")], "read"));
        Assert.True(reach.Allows([new AccessGrant("group", "g1", "write")], "read"));
        Assert.False(reach.Allows([new AccessGrant("group", "g2", "read"), new AccessGrant("user", "u2", "write")], "read"));
        Assert.False(reach.Allows([new AccessGrant("user", "u1", "read")], "write"));
        // A group id that happens to equal the user's id names the group, not the user.
        Assert.False(reach.Allows([new AccessGrant("group", "u1", "read")], "read"));
    }

    [Fact]
    public void ParsingDropsRepeatsAndRefusesTheFirstBadEntry()
    {
        var (grants, problem) = AccessGrant.Parse(JsonNode.Parse("""[{"principal_type":"user","principal_id":"*","permission":"read"},{"principal_type":"user","principal_id":"*","permission":"read"}]"""));
        Assert.Null(problem);
        Assert.True(Assert.Single(grants!).IsPublic);
        Assert.NotNull(AccessGrant.Parse(JsonNode.Parse("""[{"principal_type":"user","principal_id":"","permission":"read"}]""")).Problem);
        Assert.NotNull(AccessGrant.Parse(JsonNode.Parse("""{"principal_type":"user"}""")).Problem);
        Assert.NotNull(AccessGrant.Parse(null).Problem);
    }

    [Fact]
    public void AnEntrySendsItsBaseModelSystemPromptAndParams()
    {
        var body = JsonNode.Parse("""{"model":"pirate","temperature":1,"top_p":0.5,"messages":[{"role":"user","content":"Hi"}]}""")!.AsObject();
        var (request, _) = CompletionRequest.From(body);
        var entry = new WorkspaceModelRow { Id = "pirate", BaseModelId = "gpt", Params = """{"system":"Arr.","temperature":0.1,"unknown":3}""" };
        var connection = new ModelConnection("openai-0", ConnectionKind.OpenAi, new Uri("http://127.0.0.1/"), null);
        var sent = ModelParameters.Apply(request!, new ModelChoice(connection, entry, "gpt")).Upstream;
        Assert.Equal("""{"model":"gpt","temperature":0.1,"top_p":0.5,"messages":[{"role":"system","content":"Arr."},{"role":"user","content":"Hi"}]}""",
            sent.ToJsonString());
        // The request itself is left as it was.
        Assert.Equal("pirate", request!.Upstream["model"]!.GetValue<string>());
    }
}

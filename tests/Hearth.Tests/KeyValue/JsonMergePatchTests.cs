using System.Text.Json.Nodes;
using Hearth.Server.KeyValue;

namespace Hearth.Tests.KeyValue;

public sealed class JsonMergePatchTests
{
    /// <summary>Every example of RFC 7386 appendix A: original, patch, result.</summary>
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void AppliesTheRfc7386Examples(string original, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse(original), JsonNode.Parse(patch));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), $"got {result?.ToJsonString() ?? "null"}");
    }

    [Fact]
    public void AppliesTheRfc7386SectionThreeExample()
    {
        var target = JsonNode.Parse("""
            {"title": "Goodbye!", "author": {"givenName": "John", "familyName": "Doe"}, "tags": ["example", "sample"], "content": "This will be unchanged"}
            """);
        var patch = JsonNode.Parse("""
            {"title": "Hello!", "phoneNumber": "+01-123-456-7890", "author": {"familyName": null}, "tags": ["example"]}
            """);
        var expected = JsonNode.Parse("""
            {"title": "Hello!", "author": {"givenName": "John"}, "tags": ["example"], "content": "This will be unchanged", "phoneNumber": "+01-123-456-7890"}
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonMergePatch.Apply(target, patch)));
    }

    [Fact]
    public void KeepsTheOrderOfMembersAndLeavesTheInputsUnchanged()
    {
        var target = JsonNode.Parse("""{"z":1,"a":{"y":2,"b":3},"m":4}""");
        var patch = JsonNode.Parse("""{"a":{"b":30},"z":10,"n":5}""");
        var result = JsonMergePatch.Apply(target, patch);
        Assert.Equal("""{"z":10,"a":{"y":2,"b":30},"m":4,"n":5}""", result!.ToJsonString());
        Assert.Equal("""{"z":1,"a":{"y":2,"b":3},"m":4}""", target!.ToJsonString());
        Assert.Equal("""{"a":{"b":30},"z":10,"n":5}""", patch!.ToJsonString());
    }
}

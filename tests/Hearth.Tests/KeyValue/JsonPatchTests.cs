using System.Text.Json.Nodes;
using Hearth.Server.KeyValue;

namespace Hearth.Tests.KeyValue;

public sealed class JsonPatchTests
{
    private static JsonNode? Apply(string document, string patch, out JsonPatchFailure? failure)
    {
        var parsed = JsonPatch.Parse(JsonNode.Parse(patch), out var syntax);
        Assert.True(parsed is not null, syntax?.Message);
        parsed!.TryApply(JsonNode.Parse(document), out var result, out failure);
        return result;
    }

    /// <summary>The examples of RFC 6902 appendix A that succeed (A.1-A.8, A.10, A.11, A.14, A.16).</summary>
    [Theory]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"baz":"qux","foo":"bar"}""")]
    [InlineData("""{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""")]
    [InlineData("""{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""")]
    [InlineData("""{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""",
        """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""",
        """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""")]
    [InlineData("""{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""",
        """{"foo":["all","cows","eat","grass"]}""")]
    [InlineData("""{"baz":"qux","foo":["a",2,"c"]}""",
        """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""",
        """{"baz":"qux","foo":["a",2,"c"]}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/child","value":{"grandchild":{}}}]""",
        """{"foo":"bar","child":{"grandchild":{}}}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux","xyz":123}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("""{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":10}]""", """{"/":9,"~1":10}""")]
    [InlineData("""{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":["abc","def"]}]""", """{"foo":["bar",["abc","def"]]}""")]
    public void AppliesTheRfc6902Examples(string document, string patch, string expected)
    {
        var result = Apply(document, patch, out var failure);
        Assert.Null(failure);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), $"got {result?.ToJsonString() ?? "null"}");
    }

    /// <summary>RFC 6902 A.9, A.12 and A.15, and other operations that do not fit their document.</summary>
    [Theory]
    [InlineData("""{"baz":"qux"}""", """[{"op":"test","path":"/baz","value":"bar"}]""", 0, true)]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz/bat","value":"qux"}]""", 0, false)]
    [InlineData("""{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":"10"}]""", 0, true)]
    [InlineData("""{"a":[1]}""", """[{"op":"add","path":"/a/2","value":3}]""", 0, false)]
    [InlineData("""{"a":[1]}""", """[{"op":"add","path":"/a/01","value":3}]""", 0, false)]
    [InlineData("""{"a":1}""", """[{"op":"remove","path":"/b"}]""", 0, false)]
    [InlineData("""{"a":1}""", """[{"op":"replace","path":"/b","value":2}]""", 0, false)]
    [InlineData("""{"a":{"b":1}}""", """[{"op":"move","from":"/a","path":"/a/b/c"}]""", 0, false)]
    [InlineData("""{"a":1}""", """[{"op":"copy","from":"/x","path":"/y"}]""", 0, false)]
    [InlineData("""{"a":1}""", """[{"op":"replace","path":"/a","value":2},{"op":"test","path":"/a","value":1}]""", 1, true)]
    public void RefusesOperationsThatDoNotFit(string document, string patch, int index, bool testFailed)
    {
        Apply(document, patch, out var failure);
        Assert.NotNull(failure);
        Assert.Equal(index, failure!.Index);
        Assert.Equal(testFailed, failure.TestFailed);
    }

    [Fact]
    public void AFailedPatchLeavesTheTargetUntouched()
    {
        var target = JsonNode.Parse("""{"count":1,"items":[]}""");
        var patch = JsonPatch.Parse(JsonNode.Parse("""
            [{"op":"replace","path":"/count","value":2},{"op":"add","path":"/items/-","value":"x"},{"op":"test","path":"/count","value":1}]
            """), out _)!;
        Assert.False(patch.TryApply(target, out _, out _));
        Assert.Equal("""{"count":1,"items":[]}""", target!.ToJsonString());
    }

    [Theory]
    [InlineData("""[1,2,3]""", """[1,2,3]""", true)]
    [InlineData("""[1.0,2e0,3]""", """[1,2,3]""", true)]
    [InlineData("""{"b":2,"a":1}""", """{"a":1,"b":2}""", true)]
    [InlineData("""[1,2,3]""", """[3,2,1]""", false)]
    [InlineData("""{"a":1}""", """{"a":1,"b":null}""", false)]
    [InlineData("\"é\"", "\"\\u00e9\"", true)]
    [InlineData("true", "1", false)]
    public void TestComparesNumbersByValueObjectsRegardlessOfOrderAndArraysInOrder(string stored, string expected, bool equal)
    {
        Apply($$"""{"v":{{stored}}}""", $$"""[{"op":"test","path":"/v","value":{{expected}}}]""", out var failure);
        Assert.Equal(equal, failure is null);
    }

    [Fact]
    public void TheWholeDocumentCanBeReplacedOrTestedButNotRemoved()
    {
        Assert.Equal("[1]", Apply("""{"a":1}""", """[{"op":"replace","path":"","value":[1]}]""", out _)!.ToJsonString());
        Apply("""{"a":1}""", """[{"op":"test","path":"","value":{"a":1}}]""", out var testFailure);
        Assert.Null(testFailure);
        Apply("""{"a":1}""", """[{"op":"remove","path":""}]""", out var removeFailure);
        Assert.NotNull(removeFailure);
    }

    [Theory]
    [InlineData("""{"op":"add","path":"/a","value":1}""", -1, "")]
    [InlineData("""[{"op":"increment","path":"/a"}]""", 0, "op")]
    [InlineData("""[{"path":"/a","value":1}]""", 0, "op")]
    [InlineData("""[{"op":"add","path":"a","value":1}]""", 0, "path")]
    [InlineData("""[{"op":"add","path":"/a~2","value":1}]""", 0, "path")]
    [InlineData("""[{"op":"remove","path":"/a"},{"op":"add","path":"/a"}]""", 1, "value")]
    [InlineData("""[{"op":"copy","path":"/a"}]""", 0, "from")]
    [InlineData("""[{"op":"test","path":5,"value":1}]""", 0, "path")]
    [InlineData("""[7]""", 0, "")]
    public void RefusesDocumentsThatAreNotJsonPatches(string document, int index, string member)
    {
        Assert.Null(JsonPatch.Parse(JsonNode.Parse(document), out var error));
        Assert.Equal(index, error!.Index);
        Assert.Equal(member, error.Member);
    }

    [Fact]
    public void AnExplicitNullValueIsAValue()
    {
        var result = Apply("""{"a":1}""", """[{"op":"add","path":"/b","value":null}]""", out _);
        Assert.Equal("""{"a":1,"b":null}""", result!.ToJsonString());
    }

    /// <summary>The size a patch keeps up to date, operation by operation, is the stored length to the byte.</summary>
    [Theory]
    [InlineData("""{"a":1}""", """[{"op":"add","path":"/b","value":{"c":[1,2.50,"é\u0001"]}},{"op":"add","path":"/b/c/0","value":"x"}]""")]
    [InlineData("""{"a":[1]}""", """[{"op":"add","path":"/a/-","value":2},{"op":"remove","path":"/a/0"},{"op":"remove","path":"/a/0"},{"op":"add","path":"/a/0","value":[]}]""")]
    [InlineData("""{"a":{"x":"y"},"b":2}""", """[{"op":"remove","path":"/a"},{"op":"remove","path":"/b"},{"op":"add","path":"/q\"","value":null}]""")]
    [InlineData("""{"a":"v","b":[true]}""", """[{"op":"replace","path":"/a","value":{"long":"longer"}},{"op":"replace","path":"/b/0","value":false},{"op":"replace","path":"","value":[1]}]""")]
    [InlineData("""{"a":{"b":1},"c":[]}""", """[{"op":"move","from":"/a/b","path":"/c/-"},{"op":"move","from":"/c","path":"/d"},{"op":"copy","from":"/d","path":"/a/e"},{"op":"copy","from":"","path":"/f"}]""")]
    [InlineData("""["<\u2028>",{"":{}}]""", """[{"op":"copy","from":"/0","path":"/1/~1"},{"op":"move","from":"/1/","path":"/-"},{"op":"add","path":"/1/","value":"\ud83d\ude00"}]""")]
    public void TheSizeKeptWhileApplyingIsTheStoredLength(string document, string patch)
    {
        var doc = new PatchedDocument(JsonNode.Parse(document), PatchLimits.None);
        foreach (var operation in JsonPatch.Parse(JsonNode.Parse(patch), out _)!.Operations)
        {
            Assert.Null(doc.Apply(operation));
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(doc.Root!.ToJsonString(JsonSize.Compact)), doc.Size);
        }
    }

    [Fact]
    public void APatchMayGrowTheValueToExactlyTheLimit()
    {
        // {"a":1} is 7 bytes; adding "b":22 makes 14.
        var patch = JsonPatch.Parse(JsonNode.Parse("""[{"op":"add","path":"/b","value":22}]"""), out _)!;
        Assert.True(patch.TryApply(JsonNode.Parse("""{"a":1}"""), new PatchLimits(14, long.MaxValue), out _, out _));
        Assert.False(patch.TryApply(JsonNode.Parse("""{"a":1}"""), new PatchLimits(13, long.MaxValue), out _, out var failure));
        Assert.Equal(JsonPatchFailureKind.TooLarge, failure!.Kind);
        // Shrinking a value already over the limit is allowed.
        var shrink = JsonPatch.Parse(JsonNode.Parse("""[{"op":"remove","path":"/a"}]"""), out _)!;
        Assert.True(shrink.TryApply(JsonNode.Parse("""{"a":1,"b":2}"""), new PatchLimits(5, long.MaxValue), out var shrunk, out _));
        Assert.Equal("""{"b":2}""", shrunk!.ToJsonString());
    }
}

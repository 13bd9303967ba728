using System.Text.Json.Nodes;
using Hearth.Server.Chats;

namespace Hearth.Tests.Units;

public sealed class HistoryMergeTests
{
    [Fact]
    public void APostedHistoryIsLaidOverTheStoredOneAndAMessagesValueThatIsNoMapLeavesTheStoredMessages()
    {
        var stored = JsonNode.Parse("""{"messages": {}, "currentId": "a", "kept": 1}""");
        Assert.Equal("""{"messages":{"b":{}},"currentId":"b","kept":1,"new":2}""",
            HistoryMerge.Overlay(stored, JsonNode.Parse("""{"messages": {"b": {}}, "currentId": "b", "new": 2}"""))!.ToJsonString());
        Assert.Equal("""{"messages":{},"currentId":"a","kept":1}""", HistoryMerge.Overlay(stored, JsonNode.Parse("""{"messages": null}"""))!.ToJsonString());
        Assert.Equal("""{"messages":{},"currentId":"a","kept":1}""", HistoryMerge.Overlay(stored, null)!.ToJsonString());
        Assert.Equal("""{"messages":[1]}""", HistoryMerge.Overlay(null, JsonNode.Parse("""{"messages": [1]}"""))!.ToJsonString());
        Assert.Equal("""{"messages":{},"currentId":"a","kept":1}""", stored!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"done": false}""", """{"done": true}""", true)]
    [InlineData("""{"done": true}""", """{"done": false}""", true)]
    [InlineData("""{"done": true}""", """{"done": true}""", false)]
    [InlineData("""{}""", """{"content": "x"}""", false)]
    [InlineData("""{"done": null}""", """[]""", false)]
    public void AStoredReplyWinsWhileEitherSideIsUnfinished(string stored, string posted, bool keepsStored) =>
        Assert.Equal(keepsStored, HistoryMerge.KeepsStoredReply(stored, posted));

    [Fact]
    public void ChildrenTheCopyDidNotKnowAreAppendedOnce()
    {
        var message = MessageTree.Describe("p", JsonNode.Parse("""{"childrenIds": ["a"], "content": "x"}"""));
        var merged = HistoryMerge.WithChildren(message, ["b", "a", "b"])!;
        Assert.Equal("""{"childrenIds":["a","b"],"content":"x"}""", merged.Body);
        Assert.Null(HistoryMerge.WithChildren(merged, ["a"]));
        Assert.Equal("""{"content":"x","childrenIds":["c"]}""", HistoryMerge.WithChildren(MessageTree.Describe("p", JsonNode.Parse("""{"content": "x"}""")), ["c"])!.Body);
        Assert.Null(HistoryMerge.WithChildren(MessageTree.Describe("p", JsonNode.Parse("""{"childrenIds": "odd"}""")), ["c"]));
    }

    [Theory]
    [InlineData(true, "b", "a", "b")]
    [InlineData(true, "ghost", "a", "a")]
    [InlineData(true, null, "a", "a")]
    [InlineData(false, "b", "a", "a")]
    [InlineData(true, "ghost", "gone", null)]
    public void TheClientsCurrentMessageStandsWhenItExists(bool named, string? posted, string? stored, string? expected) =>
        Assert.Equal(expected, HistoryMerge.CurrentId(named, posted, stored, id => id is "a" or "b"));
}

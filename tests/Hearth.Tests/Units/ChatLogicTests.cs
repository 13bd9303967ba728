using System.Text.Json.Nodes;
using Hearth.Server.Chats;

namespace Hearth.Tests.Units;

public sealed class ChatLogicTests
{
    [Fact]
    public void SplitEmptiesHistoryMessagesInPlaceAndDescribesEachMessage()
    {
        var chat = JsonNode.Parse("""
            {"a": 1, "history": {"x": true, "messages": {"m2": {"role": "user", "content": "Hé", "parentId": null, "timestamp": 5},
                                                          "m1": {"role": "assistant", "content": [{"type": "text", "text": "Yo"}], "model": "q", "parentId": "m2"}},
                                 "currentId": "m1"}, "z": [1]}
            """)!.AsObject();
        var split = MessageTree.Split(chat);
        Assert.Equal("""{"a":1,"history":{"x":true,"messages":{},"currentId":"m1"},"z":[1]}""", split.Doc);
        Assert.True(split.HasTree);
        Assert.Equal("m1", split.CurrentId);
        Assert.Equal(["m2", "m1"], split.Messages.Select(m => m.Id));
        Assert.Equal("hé", split.Messages[0].SearchText);
        Assert.Equal("yo", split.Messages[1].SearchText);
        Assert.Equal("m2", split.Messages[1].ParentId);
        Assert.Equal(5, split.Messages[0].Timestamp);
        Assert.Equal("q", split.Messages[1].Model);
        Assert.Equal("New Chat", split.Title);
        Assert.Equal(2, chat["history"]!["messages"]!.AsObject().Count);
    }

    [Fact]
    public void BranchWalksFromTheCurrentMessageToTheRootAndStopsOnACycle()
    {
        var nodes = new (string Id, string? Parent)[] { ("a", null), ("b", "a"), ("c", "b"), ("x", "y"), ("y", "x") }.ToDictionary(n => n.Id);
        Assert.Equal(["a", "b", "c"], MessageTree.Branch(nodes, "c", n => n.Parent).Select(n => n.Id));
        Assert.Empty(MessageTree.Branch(nodes, "missing", n => n.Parent));
        Assert.Equal(["y", "x"], MessageTree.Branch(nodes, "x", n => n.Parent).Select(n => n.Id));
    }

    [Theory]
    [InlineData("Hello World", "hello world", new string[0], false, null, null, null)]
    [InlineData("tag:Work tag:urgent  report", " report", new[] { "work", "urgent" }, false, null, null, null)]
    [InlineData("tag:none pinned:true archived:false shared:yes", "", new string[0], true, true, false, null)]
    [InlineData("quick  brown", "quick  brown", new string[0], false, null, null, null)]
    public void SearchQueriesParseLikeUpstream(string text, string needle, string[] tags, bool withoutTags, bool? pinned, bool? archived, bool? shared)
    {
        var query = ChatSearchQuery.Parse(text);
        Assert.Equal(needle.Trim(), query.Needle);
        Assert.Equal(tags, query.Tags);
        Assert.Equal(withoutTags, query.WithoutTags);
        Assert.Equal(pinned, query.Pinned);
        Assert.Equal(archived, query.Archived);
        Assert.Equal(shared, query.Shared);
    }

    [Fact]
    public void ALoneTagWordIsRecognised()
    {
        Assert.Equal("x", ChatSearchQuery.Parse(" TAG:x ").LoneTag);
        Assert.Null(ChatSearchQuery.Parse("tag:x more").LoneTag);
        Assert.Equal(["a b"], ChatSearchQuery.Parse("folder:a_b").Folders.Select(FolderStore.NameKey));
    }

    [Fact]
    public void ContentLengthsCountCodePoints()
    {
        Assert.Equal(2, ChatStats.PythonLength(JsonValue.Create("👍👍")));
        Assert.Equal(3, ChatStats.PythonLength(JsonNode.Parse("[1, 2, 3]")));
        Assert.Equal(0, ChatStats.PythonLength(null));
        Assert.Equal(4, ChatStats.ExportLength(JsonNode.Parse("""[{"type": "text", "text": "ab"}, {"type": "image"}, {"type": "text", "text": "çd"}]""")));
        Assert.Equal(0, ChatStats.ExportLength(JsonValue.Create(5)));
    }

    [Fact]
    public void TagIdsAndFolderKeysNormaliseLikeUpstream()
    {
        Assert.Equal("my_tag-x", TagStore.Normalise("My Tag-X"));
        Assert.Equal("work stuff", FolderStore.NameKey("  Work__ \t Stuff "));
    }
}

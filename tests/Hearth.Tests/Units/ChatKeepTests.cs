using Hearth.Server.Chats;

namespace Hearth.Tests.Units;

/// <summary>The keep mark in a chat's meta: toggled both ways, other meta kept, and meta that is not an object read as unmarked.</summary>
public sealed class ChatKeepTests
{
    [Fact]
    public void KeepTogglesOnAndOffAndLeavesTheRestOfTheMeta()
    {
        var kept = ChatKeep.Toggled("""{"tags":["a"]}""");
        Assert.True(ChatKeep.IsKept(kept));
        Assert.Equal("""{"tags":["a"]}""", ChatKeep.Toggled(kept));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public void MetaThatIsNotAnObjectIsUnmarkedAndMarkingItStartsAfresh(string meta)
    {
        Assert.False(ChatKeep.IsKept(meta));
        Assert.Equal("""{"keep":true}""", ChatKeep.Toggled(meta));
    }
}

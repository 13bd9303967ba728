using Hearth.Server.ArtifactFiles;

namespace Hearth.Tests.Units;

/// <summary>An HTML artifact's storage key space: stable for a conversation and name, different for any other.</summary>
public sealed class ArtifactFileKeySpaceTests
{
    [Fact]
    public void TheSameConversationAndNameAlwaysGiveTheSameSpace()
    {
        var space = ArtifactFileKeySpace.For("c0ffee00-0000-4000-8000-000000000001", "todo.html");
        Assert.Matches("^artifact:[0-9a-f]{32}/$", space);
        Assert.Equal(space, ArtifactFileKeySpace.For("c0ffee00-0000-4000-8000-000000000001", "todo.html"));
    }

    [Theory]
    [InlineData("c0ffee00-0000-4000-8000-000000000002", "todo.html")]
    [InlineData("c0ffee00-0000-4000-8000-000000000001", "Todo.html")]
    [InlineData("c0ffee00-0000-4000-8000-000000000001", "todo.htm")]
    public void AnyOtherConversationOrNameGivesAnotherSpace(string conversationId, string name) =>
        Assert.NotEqual(ArtifactFileKeySpace.For("c0ffee00-0000-4000-8000-000000000001", "todo.html"), ArtifactFileKeySpace.For(conversationId, name));
}

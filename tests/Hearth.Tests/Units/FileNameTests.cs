using System.Text;
using Hearth.Server.ArtifactFiles;
using Hearth.Server.ArtifactFiles.Blobs;

namespace Hearth.Tests.Units;

public sealed class FileNameTests
{
    [Theory]
    [InlineData("report.html", "report.html")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\windows\\win.ini", "win.ini")]
    [InlineData("a..b.txt", "a.b.txt")]
    [InlineData("..", "file")]
    [InlineData("", "file")]
    [InlineData("   ", "file")]
    [InlineData("bad\u0000name\u0007.txt", "badname.txt")]
    [InlineData("line\r\nbreak.txt", "linebreak.txt")]
    [InlineData("evil\u202Etxt.exe", "eviltxt.exe")]
    [InlineData("quote\"d.txt", "quoted.txt")]
    [InlineData(".hidden", "hidden")]
    [InlineData("résumé 2024.pdf", "résumé 2024.pdf")]
    public void HostileNamesAreCleaned(string raw, string clean) => Assert.Equal(clean, FileNames.Clean(raw));

    [Fact]
    public void LongNamesAreCutTo255BytesKeepingTheExtension()
    {
        var clean = FileNames.Clean(new string('é', 300) + ".csv");
        Assert.True(Encoding.UTF8.GetByteCount(clean) <= 255, clean);
        Assert.EndsWith(".csv", clean);
        Assert.StartsWith("éé", clean);
    }

    [Theory]
    [InlineData("a.PNG", ".png")]
    [InlineData("a.tar.gz", ".gz")]
    [InlineData("noext", "")]
    [InlineData("a.we!rd", "")]
    public void StoredFilesKeepOnlyASafeExtension(string name, string extension) => Assert.Equal(extension, FileNames.StoredExtension(name));

    [Fact]
    public void KeysParseOnlyArtifactFilesNotSidecars()
    {
        Assert.Equal(("c1", "x.png"), BlobKeys.Parse("uploads/conversations/c1/artifacts/x.png"));
        Assert.Null(BlobKeys.Parse("uploads/conversations/c1/artifacts/.meta/x.json"));
        Assert.Null(BlobKeys.Parse("uploads/other/c1/artifacts/x.png"));
        Assert.False(BlobKeys.IsSafeSegment("../x"));
        Assert.True(BlobKeys.IsSafeSegment(Guid.NewGuid().ToString()));
    }
}

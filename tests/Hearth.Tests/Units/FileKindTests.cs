using Hearth.Server.ArtifactFiles;

namespace Hearth.Tests.Units;

/// <summary>The seed's table, file by file: which of the four filters (plus All) each file lands in, decided from extension and MIME type.</summary>
public sealed class FileKindTests
{
    [Theory]
    [InlineData("chart.png", "images")]
    [InlineData("photo.JPG", "images")]
    [InlineData("photo.jpeg", "images")]
    [InlineData("anim.gif", "images")]
    [InlineData("logo.svg", "images")]
    [InlineData("shot.webp", "images")]
    [InlineData("report.html", "html")]
    [InlineData("page.htm", "html")]
    [InlineData("script.py", "code")]
    [InlineData("app.js", "code")]
    [InlineData("app.ts", "code")]
    [InlineData("data.json", "code")]
    [InlineData("config.yaml", "code")]
    [InlineData("config.yml", "code")]
    [InlineData("feed.xml", "code")]
    [InlineData("site.css", "code")]
    [InlineData("query.sql", "code")]
    [InlineData("README.md", "code")]
    [InlineData("build.sh", "code")]
    [InlineData("table.csv", "files")]
    [InlineData("paper.pdf", "files")]
    [InlineData("notes.txt", "files")]
    [InlineData("archive.zip", "files")]
    [InlineData("model.bin", "files")]
    [InlineData("noextension", "files")]
    public void EachFileOfTheSeedsTableLandsInItsFilter(string name, string kind) =>
        Assert.Equal(kind, FileKinds.Kind(name, FileKinds.MimeType(name, null)));

    [Theory]
    [InlineData("image/png", "images")]
    [InlineData("image/svg+xml", "images")]
    [InlineData("text/html", "html")]
    [InlineData("text/x-python", "code")]
    [InlineData("application/json; charset=utf-8", "code")]
    [InlineData("text/csv", "files")]
    [InlineData("application/octet-stream", "files")]
    public void WithoutAnExtensionTheMimeTypeDecides(string mime, string kind) =>
        Assert.Equal(kind, FileKinds.Kind("artifact", FileKinds.MimeType("artifact", mime)));

    [Fact]
    public void TheExtensionWinsOverADeclaredType()
    {
        Assert.Equal("text/csv", FileKinds.MimeType("table.csv", "text/html"));
        Assert.Equal("files", FileKinds.Kind("table.csv", FileKinds.MimeType("table.csv", "text/html")));
        Assert.Equal("application/octet-stream", FileKinds.MimeType("x", "not a type"));
    }

    [Theory]
    [InlineData("a.py", "python")]
    [InlineData("a.tsx", "typescript")]
    [InlineData("a.yml", "yaml")]
    [InlineData("a.sh", "shell")]
    [InlineData("a.md", "markdown")]
    [InlineData("a.csv", null)]
    public void TheLanguageComesFromTheExtension(string name, string? language) =>
        Assert.Equal(language, FileKinds.Language(name, FileKinds.MimeType(name, null)));

    [Theory]
    [InlineData("a.png", "Image")]
    [InlineData("a.html", "Html")]
    [InlineData("a.py", "Code")]
    [InlineData("a.md", "Markdown")]
    [InlineData("a.csv", "Text")]
    [InlineData("a.txt", "Text")]
    [InlineData("a.pdf", "Pdf")]
    [InlineData("a.zip", "Download")]
    public void ThePreviewFollowsTheKind(string name, string preview)
    {
        var mime = FileKinds.MimeType(name, null);
        Assert.Equal(preview, FileKinds.Preview(name, mime, FileKinds.Kind(name, mime)).ToString());
    }
}

using Hearth.Server.ArtifactFiles;
using Hearth.Server.Pages;

namespace Hearth.Tests.Units;

/// <summary>The pure parts of the pages: highlighting, safe Markdown, sizes, the storage bridge's placement, sign-in redirects.</summary>
public sealed class PreviewRenderingTests
{
    [Fact]
    public void PythonIsHighlightedAndEncoded()
    {
        var html = CodeHighlighter.Highlight("def f(x):  # <b>\n    return \"<s>\" + 42", "python");
        Assert.Contains("<span class=\"tok-keyword\">def</span>", html);
        Assert.Contains("<span class=\"tok-comment\"># &lt;b&gt;</span>", html);
        Assert.Contains("<span class=\"tok-string\">&quot;&lt;s&gt;&quot;</span>", html);
        Assert.Contains("<span class=\"tok-number\">42</span>", html);
        Assert.DoesNotContain("<b>", html);
    }

    [Theory]
    [InlineData("json", "{\"a\": true}", "tok-key")]
    [InlineData("javascript", "const x = `t`; // c", "tok-keyword")]
    [InlineData("sql", "SELECT 1 FROM t -- c", "tok-keyword")]
    [InlineData("xml", "<a href=\"x\">t</a>", "tok-tag")]
    [InlineData("css", "body { color: #fff; }", "tok-key")]
    [InlineData("yaml", "name: x # c", "tok-key")]
    [InlineData("shell", "echo \"hi\" # c", "tok-comment")]
    public void EachLanguageGetsTokens(string language, string code, string token) =>
        Assert.Contains(token, CodeHighlighter.Highlight(code, language));

    [Fact]
    public void MarkdownIsRenderedWithoutRawHtmlOrScriptLinks()
    {
        var html = SafeMarkdown.ToHtml("# Title\n\n**bold** <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [y](https://example.com)");
        Assert.Contains("<h1", html);
        Assert.Contains("<strong>bold</strong>", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("javascript:", html);
        Assert.Contains("href=\"https://example.com\"", html);
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(512, "512 B")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(26_214_400, "25 MB")]
    public void SizesReadLikePeopleSayThem(long bytes, string text) => Assert.Equal(text, Html.Size(bytes));

    [Theory]
    [InlineData("<!DOCTYPE html><html><head><title>t</title></head></html>", "<!DOCTYPE html><html><head><script src=\"/b.js\"></script><title>")]
    [InlineData("<!doctype html><p>x", "<!doctype html><script src=\"/b.js\"></script><p>x")]
    [InlineData("<header>x</header>", "<script src=\"/b.js\"></script><header>")]
    [InlineData("<p>x", "<script src=\"/b.js\"></script><p>x")]
    public void TheBridgeScriptGoesInWithoutChangingTheRenderingMode(string html, string start) =>
        Assert.StartsWith(start, BridgeInjection.Inject(html, "/b.js"));

    [Theory]
    [InlineData("/c/abc", "/c/abc")]
    [InlineData("//evil.example/x", "/")]
    [InlineData("https://evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData(null, "/")]
    public void SignInOnlyReturnsToLocalPages(string? next, string target) => Assert.Equal(target, Html.LocalPath(next));

    [Fact]
    public void ACardShowsTheFirstEightLinesCutShortWithoutHalfACharacter()
    {
        var text = "\r\n\n  \n" + string.Join("\r\n", Enumerable.Range(1, 20).Select(i => $"\tline {i}"));
        Assert.Equal(string.Join('\n', Enumerable.Range(1, 8).Select(i => $"  line {i}")), CardSnippets.FirstLines(text));
        var emoji = new string('a', CardSnippets.MaxLineLength - 1) + "😀 and more";
        Assert.Equal(new string('a', CardSnippets.MaxLineLength - 1) + "…", CardSnippets.FirstLines(emoji));
        Assert.Null(CardSnippets.FirstLines(" \n\t\n"));
    }

    [Theory]
    [InlineData("chat/file", "chat", "file")]
    [InlineData("chat/file/more", null, null)]
    [InlineData("/file", null, null)]
    [InlineData("chat/", null, null)]
    [InlineData(null, null, null)]
    public void APreviewsAddressNamesAChatAndAFile(string? open, string? chat, string? file) =>
        Assert.Equal(chat is null ? null : (chat, file!), PreviewKey.Parse(open));
}

using System.Text;
using System.Text.RegularExpressions;

namespace Hearth.Server.Pages;

/// <summary>
/// A small server-side syntax highlighter: one regular expression per language family whose named groups
/// (comment, string, keyword, number, tag, attr, key) become <c>&lt;span class="tok-…"&gt;</c>. The output is
/// HTML-encoded text with spans and nothing else.
/// </summary>
internal static class CodeHighlighter
{
    private const RegexOptions Options = RegexOptions.Compiled | RegexOptions.Multiline | RegexOptions.CultureInvariant;
    private const string Number = @"(?<number>\b(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\b)";
    private const string DoubleQuoted = @"""(?:[^""\\\n]|\\.)*""";
    private const string SingleQuoted = @"'(?:[^'\\\n]|\\.)*'";

    private static Regex Words(string comment, string strings, params string[] keywords) =>
        new($@"(?<comment>{comment})|(?<string>{strings})|(?<keyword>\b(?:{string.Join('|', keywords)})\b)|{Number}", Options);

    private static readonly Regex Python = Words(@"#.*$", $@"(?:[rbfuRBFU]{{0,2}})(?:""""""[\s\S]*?""""""|'''[\s\S]*?'''|{DoubleQuoted}|{SingleQuoted})",
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
        "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
        "while", "with", "yield", "self", "print");

    private static readonly Regex Script = Words(@"//.*$|/\*[\s\S]*?\*/", $@"`(?:[^`\\]|\\.)*`|{DoubleQuoted}|{SingleQuoted}",
        "async", "await", "break", "case", "catch", "class", "const", "continue", "default", "delete", "do", "else", "export", "extends",
        "false", "finally", "for", "function", "if", "import", "from", "in", "instanceof", "let", "new", "null", "return", "super", "switch",
        "this", "throw", "true", "try", "typeof", "undefined", "var", "void", "while", "yield", "interface", "type", "enum", "implements",
        "public", "private", "protected", "readonly", "as", "of");

    private static readonly Regex Json = new($@"(?<key>{DoubleQuoted})(?=\s*:)|(?<string>{DoubleQuoted})|(?<keyword>\b(?:true|false|null)\b)|{Number}", Options);

    private static readonly Regex Yaml = new($@"(?<comment>#.*$)|(?<key>^[ \t-]*[\w.-]+)(?=\s*:)|(?<string>{DoubleQuoted}|{SingleQuoted})|(?<keyword>\b(?:true|false|null|yes|no)\b)|{Number}", Options);

    private static readonly Regex Markup = new(@"(?<comment><!--[\s\S]*?-->)|(?<tag></?[\w:-]+|/?>)|(?<attr>\b[\w:-]+)(?==)|(?<string>""[^""]*""|'[^']*')", Options);

    private static readonly Regex Css = new($@"(?<comment>/\*[\s\S]*?\*/)|(?<string>{DoubleQuoted}|{SingleQuoted})|(?<key>[\w-]+)(?=\s*:[^{{]*;)|(?<keyword>@[\w-]+|![\w]+)|(?<number>#[0-9a-fA-F]{{3,8}}\b|\b\d+(?:\.\d+)?(?:px|em|rem|%|vh|vw|s|ms)?\b)", Options);

    private static readonly Regex Sql = new($@"(?<comment>--.*$|/\*[\s\S]*?\*/)|(?<string>{SingleQuoted})|(?<keyword>\b(?i:select|from|where|insert|into|values|update|set|delete|create|table|index|drop|alter|join|left|right|inner|outer|on|group|by|order|having|limit|offset|and|or|not|null|is|in|as|distinct|primary|key|references|union|all|case|when|then|else|end|exists|default|integer|text|varchar|boolean)\b)|{Number}", Options);

    private static readonly Regex Shell = Words(@"(?<![\w$])#.*$", $@"{DoubleQuoted}|{SingleQuoted}",
        "if", "then", "else", "elif", "fi", "for", "while", "do", "done", "case", "esac", "function", "in", "return", "local", "export",
        "echo", "set", "exit", "cd");

    private static readonly Regex Markdown = new(@"(?<keyword>^#{1,6} .*$)|(?<string>`[^`\n]+`)|(?<comment>^>.*$)|(?<key>\*\*[^*\n]+\*\*)", Options);

    private static Regex? For(string? language) => language switch
    {
        "python" => Python,
        "javascript" or "typescript" => Script,
        "json" => Json,
        "yaml" => Yaml,
        "xml" or "html" => Markup,
        "css" => Css,
        "sql" => Sql,
        "shell" => Shell,
        "markdown" => Markdown,
        _ => null,
    };

    private static readonly string[] Groups = ["comment", "string", "keyword", "number", "tag", "attr", "key"];

    /// <summary>The code as HTML: encoded text with token spans for <paramref name="language"/> (plain when unknown).</summary>
    public static string Highlight(string code, string? language)
    {
        var encoder = Html.Encoder;
        if (For(language) is not { } regex)
        {
            return encoder.Encode(code);
        }
        var html = new StringBuilder(code.Length * 2);
        var last = 0;
        foreach (Match match in regex.Matches(code))
        {
            var group = Groups.FirstOrDefault(g => match.Groups[g].Success);
            if (group is null || match.Length == 0)
            {
                continue;
            }
            var token = match.Groups[group];
            html.Append(encoder.Encode(code[last..token.Index]));
            html.Append("<span class=\"tok-").Append(group).Append("\">").Append(encoder.Encode(token.Value)).Append("</span>");
            last = token.Index + token.Length;
        }
        html.Append(encoder.Encode(code[last..]));
        return html.ToString();
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Hearth.Server.Auth;

/// <summary>Open WebUI's <c>JWT_EXPIRES_IN</c> syntax: <c>-1</c> or <c>0</c> for no expiry, else e.g. <c>30m</c>, <c>12h</c>, <c>4w</c>, <c>1h30m</c>.</summary>
internal static partial class Duration
{
    public static bool TryParse(string? text, out TimeSpan? duration)
    {
        duration = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        if (text is "-1" or "0")
        {
            return true;
        }
        var matches = Part().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text)
        {
            return false;
        }
        var total = TimeSpan.Zero;
        foreach (Match match in matches)
        {
            var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
            total += match.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                _ => TimeSpan.FromDays(7 * amount),
            };
        }
        if (total <= TimeSpan.Zero)
        {
            return false;
        }
        duration = total;
        return true;
    }

    [GeneratedRegex(@"(?<amount>\d+(\.\d+)?)(?<unit>ms|s|m|h|d|w)")]
    private static partial Regex Part();
}

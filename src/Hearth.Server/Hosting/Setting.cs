using System.Globalization;

namespace Hearth.Server.Hosting;

/// <summary>
/// Reads one Open WebUI-style setting (an environment variable, or the same name in any configuration
/// source) and fails with a message that names it, so a typo stops the server instead of being ignored.
/// </summary>
internal static class Setting
{
    public static string? Raw(IConfiguration configuration, string name)
    {
        var value = configuration[name];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public static bool? Bool(IConfiguration configuration, string name) =>
        Raw(configuration, name) is { } text ? Common.Flags.Parse(text) ?? throw Invalid(name, text, "true or false") : null;

    public static long? Long(IConfiguration configuration, string name, long min, long max)
    {
        var raw = Raw(configuration, name);
        if (raw is null)
        {
            return null;
        }
        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Invalid(name, raw, $"a whole number from {min} to {max}");
        }
        return value;
    }

    public static StartupProblem Invalid(string name, string value, string expected) =>
        new($"Setting {name} has the value '{value}', but it must be {expected}.");
}

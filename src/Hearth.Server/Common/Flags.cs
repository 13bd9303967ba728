namespace Hearth.Server.Common;

/// <summary>A yes-or-no value written as text, read one way everywhere: settings and query flags alike.</summary>
internal static class Flags
{
    /// <summary>true/false, 1/0, yes/no, on/off in any case (pydantic's and Open WebUI's readings); null for anything else.</summary>
    public static bool? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => null,
    };
}

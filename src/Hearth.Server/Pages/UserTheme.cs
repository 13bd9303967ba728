using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Auth;

namespace Hearth.Server.Pages;

/// <summary>
/// The theme a signed-in user chose in the app's Settings (<c>ui.theme</c> of their settings, saved through
/// <c>/api/v1/users/user/settings/update</c>), drawn into every page's <c>&lt;html data-theme&gt;</c> so it shows
/// from the first paint, without a script. Anything but light or dark, and anyone not signed in, follows the system.
/// </summary>
internal static class UserTheme
{
    public const string System = "system";

    /// <summary>The signed-in caller's theme; read by the pages' layout, which renders with the request.</summary>
    public static async Task<string> OfAsync(HttpContext? http)
    {
        if (http is null || CurrentUser.From(http.User) is not { } user)
        {
            return System;
        }
        var details = http.RequestServices.GetRequiredService<UserDetailsStore>();
        return Parse((await details.GetAsync(user.Id, http.RequestAborted)).Settings);
    }

    public static string Parse(string? settings)
    {
        try
        {
            return settings is not null && JsonNode.Parse(settings)?["ui"]?["theme"] is JsonValue value
                   && value.TryGetValue<string>(out var theme) && theme is "light" or "dark"
                ? theme
                : System;
        }
        catch (JsonException)
        {
            return System;
        }
    }
}

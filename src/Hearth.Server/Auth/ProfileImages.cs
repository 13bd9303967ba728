using System.Text.RegularExpressions;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Auth;

/// <summary>
/// What a <c>profile_image_url</c> may be, since other users' browsers load it as an image: empty (the
/// default), one of the fixed paths Open WebUI assigns, or an inline raster image
/// (<c>data:image/png|jpeg|gif|webp;base64,...</c>, how Open WebUI uploads an avatar) of at most
/// <c>PROFILE_IMAGE_MAX_DATA_URI_SIZE</c> characters. Refused: other schemes (<c>javascript:</c>,
/// <c>data:text/html</c>, SVG, which can hold script), external URLs (a tracker learns who views the
/// image, and when), and other paths of this server (an image tag would make every viewer's browser send an
/// authenticated GET there, such as <c>/api/v1/auths/signout</c>).
/// </summary>
internal static partial class ProfileImages
{
    private static readonly string[] FixedPaths = [NewUser.DefaultProfileImage, "/favicon.png", "/static/favicon.png"];

    /// <returns>The 422 answer, or null when <paramref name="url"/> (null: unchanged) is acceptable.</returns>
    public static JsonHttpResult<ValidationErrorBody>? Check(string? url, long maxDataUriSize)
    {
        if (string.IsNullOrEmpty(url) || FixedPaths.Contains(url, StringComparer.Ordinal))
        {
            return null;
        }
        // Measured before the pattern runs, so an oversized one costs no more than its length.
        if (url.Length > maxDataUriSize)
        {
            return Errors.Invalid("profile_image_url", ErrorMessages.ProfileImageTooLarge(url.Length, maxDataUriSize), null);
        }
        return InlineRasterImage().IsMatch(url) ? null : Errors.Invalid("profile_image_url", ErrorMessages.ProfileImageRefused, null);
    }

    /// <summary>Only base64 characters after the comma, so the value cannot close an HTML attribute or hide another URL.</summary>
    [GeneratedRegex(@"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]*={0,2}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InlineRasterImage();
}

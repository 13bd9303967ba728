using Hearth.Server.Common;

namespace Hearth.Server.Auth;

/// <summary>
/// GET /api/v1/users/{id}/profile/image: the user's inline image (only the raster types <see cref="ProfileImages"/>
/// lets in, served with <c>nosniff</c>), else the default picture; an unknown user is a 400, as upstream.
/// </summary>
internal static class ProfileImageHandlers
{
    /// <summary>The default picture: a plain grey square (PNG, 1×1), stretched by whoever shows it.</summary>
    private static readonly byte[] DefaultImage = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGPYsGEDAAQkAhG7+/aHAAAAAElFTkSuQmCC");

    public static async Task<IResult> Get(string id, HttpContext http, UserStore users, CancellationToken cancellationToken)
    {
        if (await users.GetAsync(id, cancellationToken) is not { } user)
        {
            return Errors.BadRequest(ErrorMessages.NotFound);
        }
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentDisposition = "inline";
        var url = user.ProfileImageUrl;
        var comma = url.IndexOf(',');
        if (url.StartsWith("data:image/", StringComparison.OrdinalIgnoreCase) && comma > 0
            && ProfileImages.Check(url, int.MaxValue) is null)
        {
            var mediaType = url["data:".Length..url.IndexOf(';')].ToLowerInvariant();
            try
            {
                return TypedResults.Bytes(Convert.FromBase64String(url[(comma + 1)..]), mediaType);
            }
            catch (FormatException)
            {
                // A stored value that is not base64 after all: the default picture, as upstream falls back.
            }
        }
        return TypedResults.Bytes(DefaultImage, "image/png");
    }
}

using System.Reflection;
using System.Security.Cryptography;
using Hearth.Server.Audit;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Hearth.Server.Pages;

/// <summary>The browser pages (gallery, conversation, sign-in) and their assets, embedded in the assembly so no CDN or content root is needed.</summary>
internal static class PagesSetup
{
    private const string AssetPrefix = "wwwroot/assets/";


    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder routes)
    {
        var pages = routes.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        pages.MapGet("/", ChatAppPage.Home);
        pages.MapGet("/chat/{chatId}", ChatAppPage.Chat);
        pages.MapGet("/signin", SigninPage.Show);
        pages.MapGet("/signup", SignupPage.Show);
        pages.MapPost("/signout", SignoutPage.Post).Audited("auth.signout", Auth.AuthAudit.OwnAccount);
        pages.MapGet("/artifacts", GalleryPages.Gallery);
        pages.MapGet("/artifacts/cards", GalleryPages.Cards);
        pages.MapGet("/artifacts/preview/{conversationId}/{artifactId}", GalleryPages.Preview);
        pages.MapGet("/c/{conversationId}", ConversationPage.Show);
        pages.MapGet("/c/{conversationId}/artifacts/{messageId}/{index:int:range(0,10000)}", ReplyArtifactPage.Show);
        pages.MapGet("/c/{conversationId}/artifacts/{messageId}/{index:int:range(0,10000)}/content", ReplyArtifactPage.Content);
        pages.MapGet("/c/{conversationId}/files/{artifactId}", ArtifactViewPage.InConversation);
        // A share link as Open WebUI writes it (/s/{share_id}): the snapshot's read-only page with its files.
        pages.MapGet("/s/{conversationId}", ConversationPage.Shared);
        MapAssets(pages);
        return routes;
    }

    private static void MapAssets(RouteGroupBuilder pages)
    {
        var assembly = typeof(PagesSetup).Assembly;
        var types = new FileExtensionContentTypeProvider();
        var assets = assembly.GetManifestResourceNames().Where(n => n.StartsWith(AssetPrefix, StringComparison.Ordinal))
            .ToDictionary(n => n[AssetPrefix.Length..], n => Load(assembly, n, types), StringComparer.Ordinal);
        IResult Serve(string path, HttpContext http)
        {
            if (!assets.TryGetValue(path, out var asset))
            {
                return Results.NotFound();
            }
            http.Response.Headers.XContentTypeOptions = "nosniff";
            // Revalidated on every load, so a new Hearth version's files are picked up at once.
            http.Response.Headers.CacheControl = "no-cache";
            return TypedResults.Bytes(asset.Content, asset.ContentType, entityTag: asset.ETag);
        }
        pages.MapGet("/assets/{**path}", Serve);
        // Every account's profile_image_url until its owner sets one, as in Open WebUI.
        pages.MapGet(Auth.NewUser.DefaultProfileImage, (HttpContext http) => Serve("user.png", http));
    }

    private static (byte[] Content, string ContentType, EntityTagHeaderValue ETag) Load(Assembly assembly, string name, FileExtensionContentTypeProvider types)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        var type = types.TryGetContentType(name, out var known) ? known : "application/octet-stream";
        if (type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal) || type.EndsWith("svg+xml", StringComparison.Ordinal))
        {
            type += "; charset=utf-8";
        }
        return (content, type, new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\""));
    }
}

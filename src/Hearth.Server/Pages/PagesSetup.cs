using Hearth.Server.Audit;

namespace Hearth.Server.Pages;

/// <summary>The browser pages (gallery, conversation, sign-in) and their assets (<see cref="EmbeddedAssets"/>).</summary>
internal static class PagesSetup
{
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
        IResult Serve(string path, HttpContext http)
        {
            if (!EmbeddedAssets.All.TryGetValue(path, out var asset))
            {
                return Results.NotFound();
            }
            http.Response.Headers.XContentTypeOptions = "nosniff";
            var version = http.Request.Query[EmbeddedAssets.VersionParameter];
            if (version.Count > 0 && version != asset.Version)
            {
                // Another Hearth version's file: a tab opened before an upgrade that imports a module on demand gets no new
                // module to mix with its old ones. The app reloads when such an import fails (app/ondemand.js).
                http.Response.Headers.CacheControl = "no-store";
                return Common.Errors.NotFound(Common.ErrorMessages.AssetChanged);
            }
            // At its versioned address (EmbeddedAssets.Url) the file never changes, so a returning browser asks for nothing;
            // at its plain address it is revalidated on every load, so a page loaded after an upgrade gets the new version.
            http.Response.Headers.CacheControl = version.Count > 0 ? "public, max-age=31536000, immutable" : "no-cache";
            return TypedResults.Bytes(asset.Content, asset.ContentType, entityTag: asset.ETag);
        }
        pages.MapGet("/assets/{**path}", Serve);
        // Every account's profile_image_url until its owner sets one, as in Open WebUI.
        pages.MapGet(Auth.NewUser.DefaultProfileImage, (HttpContext http) => Serve("user.png", http));
    }
}

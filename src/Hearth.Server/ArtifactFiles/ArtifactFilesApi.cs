using Hearth.Server.ArtifactFiles.Blobs;
using Hearth.Server.Common;
using Microsoft.Extensions.Options;

namespace Hearth.Server.ArtifactFiles;

/// <summary>
/// Artifact files (artifact-files.md): the gallery's list, a conversation's files, download and preview,
/// upload, delete and signed URLs; plus the services behind them.
/// </summary>
internal static class ArtifactFilesApi
{
    public static IEndpointRouteBuilder MapArtifactFiles(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/artifacts", ArtifactFileListHandlers.Gallery).RequireAuthorization().WithTags("Artifact files").WithName("ListArtifactFiles").WithSummary("List the caller's artifact files across conversations (the gallery)");

        var conversation = routes.MapGroup("/api/conversations/{id}/artifacts").WithTags("Artifact files");
        // Reads also answer shares and signed URLs, so they decide about credentials themselves.
        conversation.MapGet("/", ArtifactFileListHandlers.OfConversation).AllowAnonymous().WithName("ListConversationArtifactFiles").WithSummary("List a conversation's artifact files").Answers(401, 403);
        conversation.MapGet("/{artifactId}", ArtifactFileHandlers.Download).AllowAnonymous().WithName("DownloadArtifactFile").WithSummary("Download or preview an artifact file")
            .Produces(StatusCodes.Status200OK, null, "application/octet-stream").Produces(StatusCodes.Status206PartialContent, null, "application/octet-stream")
            .Produces(StatusCodes.Status304NotModified).Produces(StatusCodes.Status416RangeNotSatisfiable).Answers(401, 403, 404);
        conversation.MapPost("/", ArtifactFileHandlers.Upload).RequireAuthorization().DisableAntiforgery().WithName("UploadArtifactFile").WithSummary("Store an artifact file in a conversation").Answers(400, 404, 413);
        conversation.MapDelete("/{artifactId}", ArtifactFileHandlers.Delete).RequireAuthorization().WithName("DeleteArtifactFile").WithSummary("Delete an artifact file").Answers(404);
        conversation.MapGet("/{artifactId}/signed-url", ArtifactFileHandlers.SignedUrl).RequireAuthorization().WithName("SignArtifactFileUrl").WithSummary("A signed, expiring link to an artifact file").Answers(404);
        return routes;
    }

    public static IServiceCollection AddArtifactFiles(this IServiceCollection services)
    {
        services.AddOptions<FileStorageOptions>()
            .BindConfiguration("Files")
            .Configure<IConfiguration>(FileStorageOptions.MapEnvironment)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FileStorageOptions>, FileStorageOptions.Validator>();
        services.AddSingleton<IBlobStorage>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<FileStorageOptions>>().Value;
            return options.Provider == FileStorageOptions.S3
                ? new S3BlobStorage(options)
                : new DiskBlobStorage(provider.GetRequiredService<IOptions<Hosting.ServerOptions>>().Value.DataDirFullPath);
        });
        services.AddSingleton<ArtifactFileStore>();
        services.AddSingleton<ArtifactFileKeeper>();
        services.AddSingleton<Completions.Tools.IArtifactSink, ToolArtifactSink>();
        services.AddSingleton<Storage.IChatDataOwner>(provider => provider.GetRequiredService<ArtifactFileKeeper>());
        services.AddSingleton<ArtifactFileAccess>();
        services.AddSingleton<ArtifactFileLinks>();
        services.AddSingleton<ArtifactFileRebuilder>();
        services.AddSingleton<UploadLeftovers>();
        services.AddHostedService(provider => provider.GetRequiredService<UploadLeftovers>());
        return services;
    }
}

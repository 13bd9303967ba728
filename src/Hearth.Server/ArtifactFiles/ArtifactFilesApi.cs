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
        routes.MapGet("/api/artifacts", ArtifactFileListHandlers.Gallery).RequireAuthorization().WithTags("Artifact files").WithName("ListArtifactFiles");

        var conversation = routes.MapGroup("/api/conversations/{id}/artifacts").WithTags("Artifact files");
        // Reads also answer shares and signed URLs, so they decide about credentials themselves.
        conversation.MapGet("/", ArtifactFileListHandlers.OfConversation).AllowAnonymous().WithName("ListConversationArtifactFiles");
        conversation.MapGet("/{artifactId}", ArtifactFileHandlers.Download).AllowAnonymous().WithName("DownloadArtifactFile");
        conversation.MapPost("/", ArtifactFileHandlers.Upload).RequireAuthorization().DisableAntiforgery().WithName("UploadArtifactFile");
        conversation.MapDelete("/{artifactId}", ArtifactFileHandlers.Delete).RequireAuthorization().WithName("DeleteArtifactFile");
        conversation.MapGet("/{artifactId}/signed-url", ArtifactFileHandlers.SignedUrl).RequireAuthorization().WithName("SignArtifactFileUrl");
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

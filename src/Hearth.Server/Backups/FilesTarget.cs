using Hearth.Server.ArtifactFiles;
using Hearth.Server.ArtifactFiles.Blobs;

namespace Hearth.Server.Backups;

/// <summary>
/// The storage <c>migrate-db --files-to</c> names: <c>s3://BUCKET</c> (the endpoint, region and key from the
/// S3_* settings Hearth reads anyway) or a directory, the DATA_DIR of the Hearth to come (files go under its
/// <c>uploads/</c>, as Hearth keeps them).
/// </summary>
internal static class FilesTarget
{
    private const string S3Scheme = "s3://";

    /// <returns>The storage, or a message saying what is wrong with <paramref name="value"/>.</returns>
    public static (IBlobStorage? Storage, string? Problem) Open(string value, FileStorageOptions settings)
    {
        if (value.StartsWith(S3Scheme, StringComparison.OrdinalIgnoreCase))
        {
            var bucket = value[S3Scheme.Length..].TrimEnd('/');
            if (bucket.Length == 0 || bucket.Contains('/'))
            {
                return (null, $"--files-to {value} names no bucket: write s3://BUCKET (S3_ENDPOINT_URL, S3_REGION_NAME and the S3 key come from the settings).");
            }
            return (new S3BlobStorage(new FileStorageOptions
            {
                Provider = FileStorageOptions.S3, S3BucketName = bucket, S3EndpointUrl = settings.S3EndpointUrl,
                S3AccessKeyId = settings.S3AccessKeyId, S3SecretAccessKey = settings.S3SecretAccessKey, S3Region = settings.S3Region,
            }), null);
        }
        if (value.Contains("://", StringComparison.Ordinal))
        {
            return (null, $"--files-to {value} is neither a directory nor s3://BUCKET.");
        }
        return (new DiskBlobStorage(Path.GetFullPath(value)), null);
    }
}

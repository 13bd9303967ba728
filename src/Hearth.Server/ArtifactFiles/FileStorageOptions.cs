using Hearth.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Hearth.Server.ArtifactFiles;

/// <summary>
/// Where artifact files go and how large they may grow. Open WebUI's names: <c>STORAGE_PROVIDER</c> (local or
/// s3) and <c>S3_*</c>; Hearth's own: <c>ARTIFACT_MAX_FILE_SIZE</c>, <c>ARTIFACT_MAX_CONVERSATION_SIZE</c>,
/// <c>ARTIFACT_MAX_USER_SIZE</c> (bytes, 0 for no limit).
/// </summary>
internal sealed class FileStorageOptions
{
    public const string Local = "local";
    public const string S3 = "s3";

    public string Provider { get; set; } = Local;
    public string? S3EndpointUrl { get; set; }
    public string? S3BucketName { get; set; }
    public string? S3AccessKeyId { get; set; }
    public string? S3SecretAccessKey { get; set; }
    public string S3Region { get; set; } = "us-east-1";

    public long MaxFileSize { get; set; } = 25L * 1024 * 1024;
    public long MaxConversationSize { get; set; } = 250L * 1024 * 1024;
    public long MaxUserSize { get; set; } = 2L * 1024 * 1024 * 1024;

    public static void MapEnvironment(FileStorageOptions options, IConfiguration configuration)
    {
        options.Provider = Setting.Raw(configuration, "STORAGE_PROVIDER")?.ToLowerInvariant() ?? options.Provider;
        options.S3EndpointUrl = Setting.Raw(configuration, "S3_ENDPOINT_URL") ?? options.S3EndpointUrl;
        options.S3BucketName = Setting.Raw(configuration, "S3_BUCKET_NAME") ?? options.S3BucketName;
        options.S3AccessKeyId = Setting.Raw(configuration, "S3_ACCESS_KEY_ID") ?? options.S3AccessKeyId;
        options.S3SecretAccessKey = Setting.Raw(configuration, "S3_SECRET_ACCESS_KEY") ?? options.S3SecretAccessKey;
        options.S3Region = Setting.Raw(configuration, "S3_REGION_NAME") ?? options.S3Region;
        options.MaxFileSize = Setting.Long(configuration, "ARTIFACT_MAX_FILE_SIZE", 1, long.MaxValue) ?? options.MaxFileSize;
        options.MaxConversationSize = Setting.Long(configuration, "ARTIFACT_MAX_CONVERSATION_SIZE", 0, long.MaxValue) ?? options.MaxConversationSize;
        options.MaxUserSize = Setting.Long(configuration, "ARTIFACT_MAX_USER_SIZE", 0, long.MaxValue) ?? options.MaxUserSize;
    }

    internal sealed class Validator : IValidateOptions<FileStorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, FileStorageOptions options)
        {
            if (options.Provider is not (Local or S3))
            {
                return ValidateOptionsResult.Fail($"Setting STORAGE_PROVIDER has the value '{options.Provider}', but it must be local or s3.");
            }
            if (options.Provider == S3 && string.IsNullOrEmpty(options.S3BucketName))
            {
                return ValidateOptionsResult.Fail("Setting S3_BUCKET_NAME is missing: STORAGE_PROVIDER=s3 needs the bucket's name.");
            }
            if (options.Provider == S3 && string.IsNullOrEmpty(options.S3AccessKeyId) != string.IsNullOrEmpty(options.S3SecretAccessKey))
            {
                // Both, or neither (the AWS SDK's own credentials: environment, profile, instance role).
                var (given, missing) = string.IsNullOrEmpty(options.S3AccessKeyId)
                    ? ("S3_SECRET_ACCESS_KEY", "S3_ACCESS_KEY_ID") : ("S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY");
                return ValidateOptionsResult.Fail($"Setting {missing} is missing: {given} is set, and an S3 key needs both halves.");
            }
            if (options.S3EndpointUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                return ValidateOptionsResult.Fail($"Setting S3_ENDPOINT_URL has the value '{url}', but it must be an absolute URL such as http://127.0.0.1:9000.");
            }
            return ValidateOptionsResult.Success;
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// One S3-compatible server on loopback for the whole run: Python's <c>moto_server</c> when it is installed,
/// otherwise the npm package <c>s3rver</c> that test.sh installs under <c>.tools/</c>. Each test makes its own bucket.
/// </summary>
internal static class S3Server
{
    // s3rver checks signatures against its one built-in key pair; moto accepts any.
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    /// <returns>The endpoint URL and a new, empty bucket on it.</returns>
    public static async Task<(string Endpoint, string Bucket)> CreateBucketAsync()
    {
        var endpoint = await Server.Value;
        var bucket = "hearth-" + Guid.NewGuid().ToString("N")[..20];
        using var client = Client(endpoint);
        await client.PutBucketAsync(bucket);
        return (endpoint, bucket);
    }

    public static AmazonS3Client Client(string endpoint) => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>The keys stored in the bucket under a prefix.</summary>
    public static async Task<List<string>> KeysAsync(string endpoint, string bucket, string prefix)
    {
        using var client = Client(endpoint);
        var response = await client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket, Prefix = prefix });
        return (response.S3Objects ?? []).Select(o => o.Key).ToList();
    }

    private static async Task<string> StartAsync()
    {
        var port = Ports.Free();
        // HEARTH_TEST_S3_SERVER=s3rver picks s3rver even where moto is installed.
        var preferS3rver = Environment.GetEnvironmentVariable("HEARTH_TEST_S3_SERVER") == "s3rver";
        var start = !preferS3rver && FindMoto() is { } moto
            ? new ProcessStartInfo(moto, ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            : FindS3rver() is { } s3rver
                ? new ProcessStartInfo(s3rver, ["--address", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--directory", Directory.CreateTempSubdirectory("hearth-s3rver-").FullName, "--silent",
                    "--no-vhost-buckets"])
                : throw new InvalidOperationException(
                    "No S3-compatible server for the S3 tests: install Python's moto (moto_server) or run ./test.sh, which installs s3rver from npm.");
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The S3 test server ({start.FileName}) exited with code {process.ExitCode}.");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return $"http://127.0.0.1:{port}";
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }
        throw new InvalidOperationException($"The S3 test server ({start.FileName}) did not listen on port {port} within 30 s.");
    }

    private static string? FindMoto()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".pyenv", "shims"))
            .Append(Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".local", "bin"));
        return path.Select(d => Path.Combine(d, "moto_server")).FirstOrDefault(File.Exists);
    }

    private static string? FindS3rver() => RepositoryFiles.Tool("node_modules", ".bin", "s3rver");
}

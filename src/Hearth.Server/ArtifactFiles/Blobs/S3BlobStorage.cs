using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Hearth.Server.ArtifactFiles.Blobs;

/// <summary>
/// Objects in an S3-compatible bucket (AWS, MinIO, moto, s3rver...), keyed like the disk layout. An S3 put
/// is atomic by itself: an object is visible whole or not at all.
/// </summary>
internal sealed class S3BlobStorage : IBlobStorage, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;

    public S3BlobStorage(FileStorageOptions options)
    {
        var config = new AmazonS3Config
        {
            // Path-style addressing and checksums only when required: what S3-compatible servers understand.
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            AuthenticationRegion = options.S3Region,
        };
        if (options.S3EndpointUrl is { } endpoint)
        {
            config.ServiceURL = endpoint;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.S3Region);
        }
        _client = options.S3AccessKeyId is { } id && options.S3SecretAccessKey is { } secret
            ? new AmazonS3Client(new BasicAWSCredentials(id, secret), config)
            : new AmazonS3Client(config);
        _bucket = options.S3BucketName!;
    }

    public string Description => $"S3 bucket {_bucket}";

    public async Task PutAsync(string key, Stream content, long length, string contentType, CancellationToken cancellationToken) =>
        await _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = key,
            InputStream = content,
            ContentType = contentType,
            UseChunkEncoding = false,
            AutoCloseStream = false,
        }, cancellationToken);

    public async Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetObjectAsync(_bucket, key, cancellationToken);
            return new OwnedStream(response.ResponseStream, response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        await _client.DeleteObjectAsync(_bucket, key, cancellationToken);

    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var batch = new List<KeyVersion>();
        await foreach (var entry in ListAsync(prefix, cancellationToken))
        {
            batch.Add(new KeyVersion { Key = entry.Key });
            if (batch.Count == 1000)
            {
                await DeleteBatchAsync(batch, cancellationToken);
            }
        }
        await DeleteBatchAsync(batch, cancellationToken);
    }

    private async Task DeleteBatchAsync(List<KeyVersion> batch, CancellationToken cancellationToken)
    {
        if (batch.Count > 0)
        {
            await _client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = _bucket, Objects = batch.ToList(), Quiet = true }, cancellationToken);
            batch.Clear();
        }
    }

    /// <summary>A single PUT is stored whole or not at all: nothing is ever left unfinished.</summary>
    public Task<int> RemoveUnfinishedAsync(DateTimeOffset before, CancellationToken cancellationToken) => Task.FromResult(0);

    public async IAsyncEnumerable<BlobEntry> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
        while (true)
        {
            var response = await _client.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in response.S3Objects ?? [])
            {
                yield return new BlobEntry(item.Key, item.Size ?? 0, item.LastModified ?? DateTimeOffset.UnixEpoch.UtcDateTime);
            }
            if (response.IsTruncated != true)
            {
                yield break;
            }
            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The response body, which also disposes the response (and its connection) when read to the end or closed.</summary>
    private sealed class OwnedStream(Stream inner, IDisposable owner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

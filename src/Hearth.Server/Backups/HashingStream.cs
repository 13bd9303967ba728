using System.Security.Cryptography;
using Hearth.Server.Common;

namespace Hearth.Server.Backups;

/// <summary>Reads through to another stream, hashing (SHA-256) and counting what passes.</summary>
internal sealed class HashingStream(Stream inner) : ReadThroughStream(inner)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>The SHA-256 of everything read so far, in lower-case hex.</summary>
    public string Sha256() => BackupArchive.Hex(_hash.GetCurrentHash());

    protected override void Saw(ReadOnlySpan<byte> bytes) => _hash.AppendData(bytes);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}

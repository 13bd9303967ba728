using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Telemetry;

/// <summary>Bytes of the artifact key-value store and of artifact files.</summary>
internal sealed record ArtifactTotals(long KeyValueBytes, long FileBytes);

/// <summary>
/// The SQL of <see cref="ArtifactBytesGauge"/>: sums over the usage rows the writes keep (<c>artifact_usage</c> per
/// scope, <c>artifact_file_usage</c> per user and kind), a few rows per user, never the artifacts themselves.
/// </summary>
internal sealed class ArtifactTotalsStore(Database database)
{
    public async Task<ArtifactTotals> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var totals = await connection.QuerySingleAsync<(long? KeyValue, long? Files)>(new CommandDefinition(
            "SELECT (SELECT SUM(bytes) FROM artifact_usage), (SELECT SUM(bytes) FROM artifact_file_usage)", cancellationToken: cancellationToken));
        return new ArtifactTotals(totals.KeyValue ?? 0, totals.Files ?? 0);
    }
}

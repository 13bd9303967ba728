using System.Text;
using Dapper;
using Hearth.Server.Common;
using Hearth.Server.Storage;
using Microsoft.Extensions.Options;

namespace Hearth.Server.KeyValue;

/// <summary>One page of a listing; <see cref="More"/> when keys follow the last one.</summary>
internal sealed record KvPage(IReadOnlyList<KvRow> Rows, bool More);

/// <summary>
/// Artifact rows: reads, and writes applied all or nothing in one transaction that is committed before the
/// caller answers (durable when acknowledged). Committed changes go to the watch streams.
/// </summary>
internal sealed class KvStore(Database database, KvChangeFeed feed, IOptions<KvOptions> options, TimeProvider clock)
{
    public async Task<KvRow?> GetAsync(KvAddress address, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<KvRow>(new CommandDefinition(
            $"SELECT {KvWriteSql.Columns} FROM artifacts WHERE owner_id = @Owner AND key = @Key",
            new { address.Owner, address.Key }, cancellationToken: cancellationToken));
    }

    /// <summary>Keys in byte (code point) order after <paramref name="after"/>, optionally starting with <paramref name="prefix"/>.</summary>
    public async Task<KvPage> ListAsync(string owner, string? prefix, string? after, int limit, bool withValues,
        CancellationToken cancellationToken)
    {
        var filters = new StringBuilder("owner_id = @owner");
        var prefixEnd = string.IsNullOrEmpty(prefix) ? null : PrefixEnd(prefix);
        if (!string.IsNullOrEmpty(prefix))
        {
            filters.Append(" AND key >= @prefix");
        }
        if (prefixEnd is not null)
        {
            filters.Append(" AND key < @prefixEnd");
        }
        if (after is not null)
        {
            filters.Append(" AND key > @after");
        }
        var columns = withValues ? KvWriteSql.Columns : KvWriteSql.Columns.Replace("value", "NULL AS value", StringComparison.Ordinal);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<KvRow>(new CommandDefinition(
            $"SELECT {columns} FROM artifacts WHERE {filters} ORDER BY key LIMIT @take",
            new { owner, prefix, prefixEnd, after, take = limit + 1 }, cancellationToken: cancellationToken))).ToList();
        return new KvPage(rows.Take(limit).ToList(), rows.Count > limit);
    }

    /// <summary>
    /// The least string above every string that starts with <paramref name="prefix"/>: its last code point
    /// raised by one (code point order is UTF-8 byte order). Null when there is none (all U+10FFFF).
    /// </summary>
    public static string? PrefixEnd(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        while (runes.Count > 0)
        {
            var last = runes[^1].Value;
            runes.RemoveAt(runes.Count - 1);
            if (last < 0x10FFFF)
            {
                runes.Add(new Rune(last == 0xD7FF ? 0xE000 : last + 1));
                return string.Concat(runes.Select(r => r.ToString()));
            }
        }
        return null;
    }

    public async Task<WriteOutcome> WriteAsync(IReadOnlyList<KvWrite> writes, string userId, CancellationToken cancellationToken)
    {
        if (OversizedStore(writes) is { } tooLarge)
        {
            return tooLarge;
        }
        if (writes is [{ } only] && (only is PatchWrite || !only.Condition.IsNone) && await RefusedAlreadyAsync(only, cancellationToken) is { } refused)
        {
            return refused;
        }
        // Two batches locking the same rows in opposite orders may deadlock; the server aborts one, run again.
        return await TransactionRetry.RunAsync(() => WriteOnceAsync(writes, userId, cancellationToken));
    }

    /// <summary>
    /// A precondition, a patch <c>test</c> or a patch over the value limit that fails on the last committed value is a true answer as of that
    /// moment, so it is given without the write lock: when many clients retry a compare-and-set on one key, the
    /// losers no longer queue behind the winner. A write that passes is checked again inside the transaction.
    /// </summary>
    private async Task<WriteOutcome?> RefusedAlreadyAsync(KvWrite write, CancellationToken cancellationToken)
    {
        var current = await GetAsync(write.Address, cancellationToken);
        if (!write.Condition.HoldsFor(current?.Version))
        {
            return WriteOutcome.Refused(WriteStatus.PreconditionFailed, 0, current, ErrorMessages.ArtifactPreconditionFailed);
        }
        if (write is PatchWrite patch && current is not null
            && patch.Patch.Apply(current.Value!, options.Value.MaxValueBytes) is { Refusal: WriteStatus.PatchConflict or WriteStatus.TooLarge } refusal)
        {
            return WriteOutcome.Refused(refusal.Refusal, 0, refusal.Refusal == WriteStatus.TooLarge ? null : current, refusal.Problem);
        }
        return null;
    }

    private WriteOutcome? OversizedStore(IReadOnlyList<KvWrite> writes)
    {
        var limit = options.Value.MaxValueBytes;
        for (var index = 0; index < writes.Count; index++)
        {
            if (writes[index] is StoreWrite store && Encoding.UTF8.GetByteCount(store.Value) is var size && size > limit)
            {
                return WriteOutcome.Refused(WriteStatus.TooLarge, index, null, ErrorMessages.ArtifactValueTooLarge(size, limit));
            }
        }
        return null;
    }

    private async Task<WriteOutcome> WriteOnceAsync(IReadOnlyList<KvWrite> writes, string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await database.InTransactionAsync(async (connection, transaction) =>
        {
            var rows = new KvWriteSql(connection, transaction, database.IsPostgres);
            var result = await new KvWriteTransaction(rows, options.Value, now, userId).ApplyAsync(writes);
            if (result.Succeeded && database.IsPostgres)
            {
                foreach (var change in Changes(result, now, userId))
                {
                    await rows.NotifyAsync(KvChangeFeed.Channel, KvChangeFeed.Encode(change));
                }
            }
            return result;
        }, result => result.Succeeded, committed: result =>
        {
            // On PostgreSQL the listener publishes what NOTIFY delivers, from every process alike.
            if (!database.IsPostgres)
            {
                foreach (var change in Changes(result, now, userId))
                {
                    feed.Publish(change);
                }
            }
        }, cancellationToken);
    }

    private static IEnumerable<KvChange> Changes(WriteOutcome outcome, long now, string userId) =>
        outcome.Written.Select(w => w.Deleted
            ? new KvChange(w.Row.OwnerId, w.Row.Key, w.Row.Version, now, userId, Deleted: true)
            : new KvChange(w.Row.OwnerId, w.Row.Key, w.Row.Version, w.Row.UpdatedAt, w.Row.UpdatedBy, Deleted: false));
}

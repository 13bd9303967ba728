using System.Data.Common;
using Dapper;
using Hearth.Server.ArtifactFiles.Blobs;
using Hearth.Server.Storage;
using Npgsql;

namespace Hearth.Server.Backups;

/// <summary>Where <c>migrate-db</c> is: copying, indexing or (a table of an earlier run) checking, and the rows so far.</summary>
internal sealed record MoveProgress(string Stage, string Table, long Rows);

/// <summary>A table's rows in the source snapshot and in the target after the copy.</summary>
internal sealed record TableCount(string Table, long Source, long Target);

/// <summary>
/// The per-table counts (when the copy got that far), the tables an earlier run had copied, what went wrong, and the
/// search indexes left for Hearth to build (<see cref="DeferredIndexes"/>).
/// </summary>
internal sealed record MoveOutcome(IReadOnlyList<TableCount> Counts, IReadOnlyList<string> Kept, IReadOnlyList<string> Problems,
    FileMoveTally? Files = null)
{
    public IReadOnlyList<string> Deferred { get; init; } = [];

    public bool Moved => Problems.Count == 0;

    public static MoveOutcome Refused(string problem) => new([], [], [problem]);
}

/// <summary>
/// <c>migrate-db</c>: copies this Hearth's database (SQLite, possibly serving) into a PostgreSQL database, table by
/// table in <see cref="BackupTables"/>' order, from one read snapshot (<see cref="BackupSnapshot"/>), each table in
/// one binary COPY (<see cref="PostgresRowCopier"/>, <see cref="BinaryCopyRows"/>). Each table is copied and marked
/// done in one transaction (<see cref="MoveProgressStore"/>), so a rerun after an interruption keeps the finished
/// tables (when the source still holds the same rows) and copies the rest. The search indexes are left for the Hearth
/// that starts on the copy to build (<see cref="BulkLoadIndexes"/>). Artifact files stay where they are
/// unless <c>--files-to</c> names another storage (<see cref="FileMover"/>, after the tables and before the run
/// completes, so a rerun resumes it too); the signing secret stays in DATA_DIR.
/// </summary>
internal sealed class DatabaseMover(Database source, IBlobStorage blobs, ILoggerFactory loggers, TimeProvider clock)
{
    private const int RowsPerReport = 5000;

    /// <summary>Where artifact files are, which the copy leaves in place.</summary>
    public string FilesDescription => blobs.Description;

    /// <param name="tableCopied">Called after each table's copy commits (tests interrupt a run here).</param>
    /// <param name="filesTo">Where artifact files are copied to (null: they stay where they are).</param>
    public async Task<MoveOutcome> MoveAsync(DatabaseUrl to, bool force, IProgress<MoveProgress>? progress, CancellationToken cancellationToken,
        Func<BackupTable, Task>? tableCopied = null, IBlobStorage? filesTo = null)
    {
        if (to.Provider != DatabaseProvider.Postgres)
        {
            return MoveOutcome.Refused("--to must be a PostgreSQL database: postgresql://user:password@host:5432/database.");
        }
        if (to.Description == source.Description)
        {
            return MoveOutcome.Refused($"--to names the database Hearth already uses ({source.Description}).");
        }
        if (filesTo is not null && filesTo.Description == blobs.Description)
        {
            return MoveOutcome.Refused($"--files-to names the storage Hearth already uses ({blobs.Description}).");
        }
        await using var target = new Database(to);
        try
        {
            return await MoveAsync(target, force, progress, tableCopied, filesTo, cancellationToken);
        }
        catch (DbException e)
        {
            // The database or the way to it failed: another run goes on from the last table copied.
            return MoveOutcome.Refused($"the copy into {target.Description} stopped: {e.Message.TrimEnd('.')}. " +
                                       "Run migrate-db again to go on from the last table copied.");
        }
        catch (InvalidDataException e)
        {
            // The source's own rows are at fault: running again would stop at the same place.
            return MoveOutcome.Refused($"the copy into {target.Description} stopped: {e.Message.TrimEnd('.')}. " +
                                       "Mend the source database (or restore it from a backup), then run migrate-db again.");
        }
    }

    private async Task<MoveOutcome> MoveAsync(Database target, bool force, IProgress<MoveProgress>? progress,
        Func<BackupTable, Task>? tableCopied, IBlobStorage? filesTo, CancellationToken cancellationToken)
    {
        var migrations = new MigrationRunner(target, loggers.CreateLogger<MigrationRunner>(), clock);
        await using var snapshot = await BackupSnapshot.OpenAsync(source, cancellationToken);
        if (await snapshot.SchemaVersionAsync(cancellationToken) is not { } version)
        {
            return MoveOutcome.Refused($"the database ({source.Setting}) holds no Hearth data: nothing to copy.");
        }
        if (await RestoreStore.PrepareSchemaAsync(target, migrations, version, $"the source ({source.Description})", cancellationToken) is { } schema)
        {
            return MoveOutcome.Refused(schema);
        }
        var earlier = await MoveProgressStore.ReadAsync(target, cancellationToken);
        if (await RefusalAsync(target, earlier, force, cancellationToken) is { } refusal)
        {
            return MoveOutcome.Refused(refusal);
        }
        if (force)
        {
            await target.InTransactionAsync(async (connection, transaction) =>
            {
                await RestoreStore.ClearAsync(connection, transaction);
                await MoveProgressStore.ClearAsync(connection, transaction);
                return true;
            }, cancellationToken);
            earlier = [];
        }
        var kept = new List<string>();
        foreach (var table in BackupTables.All)
        {
            if (earlier.FirstOrDefault(m => m.TableName == table.Name) is { } done)
            {
                if (!done.Sha256.StartsWith(BinaryCopyRows.FingerprintVersion, StringComparison.Ordinal))
                {
                    return MoveOutcome.Refused($"table {table.Name} was copied by the migrate-db of an earlier Hearth, whose marks this one " +
                                               "cannot compare: add --force to copy everything again.");
                }
                var now = await FingerprintAsync(snapshot, target, table, progress, cancellationToken);
                if (now.RowCount != done.RowCount || now.Sha256 != done.Sha256)
                {
                    return MoveOutcome.Refused($"table {table.Name} changed in the source since the interrupted run copied it " +
                                               $"({done.RowCount} rows then, {now.RowCount} now): add --force to copy everything again.");
                }
                kept.Add(table.Name);
                continue;
            }
            await CopyAsync(snapshot, target, table, progress, cancellationToken);
            if (tableCopied is not null)
            {
                await tableCopied(table);
            }
        }
        var problems = new List<string>();
        var files = filesTo is null ? null
            : await new FileMover(blobs, filesTo).MoveAsync(snapshot.StoredFilesAsync(cancellationToken), problems, progress, cancellationToken);
        var counts = new List<TableCount>();
        IReadOnlyList<DeferredIndex> deferred;
        await using (var connection = await target.OpenAsync(cancellationToken))
        {
            foreach (var table in BackupTables.All)
            {
                counts.Add(new TableCount(table.Name, await snapshot.CountAsync(table, cancellationToken),
                    await RestoreStore.CountAsync(connection, null, table.Name)));
            }
            deferred = await DeferredIndexes.ReadAsync(connection);
        }
        problems.AddRange(counts.Where(c => c.Source != c.Target)
            .Select(c => $"table {c.Table}: {c.Target} rows in the target where the source has {c.Source}."));
        if (problems.Count == 0)
        {
            // The migrations newer than the source's schema, then the marks go: the target is an ordinary Hearth database.
            await migrations.ApplyAsync(cancellationToken);
            await MoveProgressStore.DropAsync(target, cancellationToken);
        }
        return new MoveOutcome(counts, kept, problems, files) { Deferred = deferred.Select(i => i.IndexName).ToList() };
    }

    /// <summary>A target holding rows is refused unless forced, or unless they are what an earlier run from this source marked as copied.</summary>
    private async Task<string?> RefusalAsync(Database target, IReadOnlyList<MovedTable> earlier, bool force, CancellationToken cancellationToken)
    {
        if (force)
        {
            return null;
        }
        var hint = "migrate into an empty database, or add --force to replace everything in it.";
        if (earlier.FirstOrDefault(m => m.Source != source.Description) is { } other)
        {
            return $"the database ({target.Description}) holds an unfinished copy from {other.Source}: {hint}";
        }
        var marked = earlier.Select(m => m.TableName).ToHashSet();
        var occupied = await RestoreStore.OccupiedTablesAsync(target, cancellationToken);
        var unmarked = occupied.Where(t => !marked.Contains(t)).ToList();
        return unmarked.Count > 0 ? $"the database ({target.Description}) holds rows in {string.Join(", ", unmarked)}: {hint}" : null;
    }

    /// <summary>One table into the target in one transaction, with its mark; the rows counted before it commits.</summary>
    private async Task CopyAsync(BackupSnapshot snapshot, Database target, BackupTable table, IProgress<MoveProgress>? progress,
        CancellationToken cancellationToken)
    {
        await target.InTransactionAsync(async (connection, transaction) =>
        {
            var indexes = await BulkLoadIndexes.DropAsync(connection, transaction, table.Name);
            progress?.Report(new MoveProgress("copying", table.Name, 0));
            // In the order of the target's primary key, whose index then grows at its right edge instead of everywhere.
            await using var from = await snapshot.RowsAsync(table, await PrimaryKeyAsync(connection, transaction, table.Name), cancellationToken);
            var copier = await PostgresRowCopier.ForAsync(connection, transaction, table.Name, from);
            // One COPY for the whole table, sent a buffer at a time, so PostgreSQL stores rows while the next are read.
            using var rows = await CopyRowsAsync(from, copier, await ((NpgsqlConnection)connection).BeginRawBinaryCopyAsync(copier.CopyStatement, cancellationToken),
                table, progress, cancellationToken);
            // Building a large table's indexes can take longer than copying its rows.
            progress?.Report(new MoveProgress("indexing", table.Name, rows.Rows));
            await indexes.RebuildAsync(connection, transaction);
            var count = await RestoreStore.CountAsync(connection, transaction, table.Name);
            if (count != rows.Rows)
            {
                throw new InvalidDataException($"table {table.Name}: {count} rows in the target after copying {rows.Rows}.");
            }
            await MoveProgressStore.MarkAsync(connection, transaction,
                new MovedTable(table.Name, source.Description, rows.Rows, rows.Sha256()), clock.GetUtcNow());
            progress?.Report(new MoveProgress("copied", table.Name, rows.Rows));
            return true;
        }, cancellationToken);
    }

    /// <summary>A table of the snapshot as a copy would see it (rows and fingerprint), without copying it.</summary>
    private static async Task<MovedTable> FingerprintAsync(BackupSnapshot snapshot, Database target, BackupTable table,
        IProgress<MoveProgress>? progress, CancellationToken cancellationToken)
    {
        SourceRows source;
        PostgresRowCopier copier;
        await using (var connection = await target.OpenAsync(cancellationToken))
        {
            source = await snapshot.RowsAsync(table, await PrimaryKeyAsync(connection, null, table.Name), cancellationToken);
            try
            {
                copier = await PostgresRowCopier.ForAsync(connection, null, table.Name, source);
            }
            catch
            {
                await source.DisposeAsync();
                throw;
            }
        }
        await using var _ = source;
        using var rows = await CopyRowsAsync(source, copier, null, table, null, cancellationToken);
        progress?.Report(new MoveProgress("checked", table.Name, rows.Rows));
        return new MovedTable(table.Name, "", rows.Rows, rows.Sha256());
    }

    /// <summary>Every row of <paramref name="source"/> into <paramref name="copy"/> (null: into the fingerprint alone), which is then complete.</summary>
    private static async Task<BinaryCopyRows> CopyRowsAsync(SourceRows source, PostgresRowCopier copier, Stream? copy, BackupTable table,
        IProgress<MoveProgress>? progress, CancellationToken cancellationToken)
    {
        await using (copy)
        {
            var rows = new BinaryCopyRows(copy);
            try
            {
                while (await source.ReadAsync(cancellationToken))
                {
                    copier.Write(source, rows);
                    await rows.SendIfFullAsync(cancellationToken);
                    if (rows.Rows % RowsPerReport == 0)
                    {
                        progress?.Report(new MoveProgress("copying", table.Name, rows.Rows));
                    }
                }
                await rows.FinishAsync(cancellationToken);
                return rows;
            }
            catch
            {
                rows.Dispose();
                await CancelAsync(copy as NpgsqlRawCopyStream);
                throw;
            }
        }
    }

    /// <summary>
    /// Ends a COPY that failed part way, so its transaction rolls back with nothing half-written. A broken connection
    /// has ended it already (Npgsql then refuses to cancel): the error that broke it is the one to report.
    /// </summary>
    private static async Task CancelAsync(NpgsqlRawCopyStream? copy)
    {
        try
        {
            if (copy is not null)
            {
                await copy.CancelAsync();
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or NpgsqlException or IOException or InvalidOperationException)
        {
        }
    }

    /// <summary>The columns of the target table's primary key, in the key's order.</summary>
    private static async Task<IReadOnlyList<string>> PrimaryKeyAsync(DbConnection connection, DbTransaction? transaction, string table) =>
        (await connection.QueryAsync<string>(
            """
            SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = format('%I', @table)::regclass AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """, new { table }, transaction)).ToList();
}

namespace Hearth.Server.Storage;

/// <summary>
/// The databases the runner refuses to touch, each with a message that says what is wrong and what to do:
/// one written by a newer Hearth, one whose recorded script differs from the script this build ships, one with a
/// migration missing below others it has, and one on which a pending script fails.
/// </summary>
internal static class MigrationRefusals
{
    public static void RefuseNewer(IReadOnlyList<AppliedMigration> applied, IReadOnlyList<Migration> shipped, string database)
    {
        var newest = shipped.Count == 0 ? 0 : shipped[^1].Version;
        if (applied.Count > 0 && applied[^1].Version > newest)
        {
            throw new DatabaseTooNewException(
                $"The database ({database}) has schema version {applied[^1].Version}, but this Hearth knows versions up to {newest}. " +
                "It was written by a newer Hearth: run that version, or point DATABASE_URL at another database. Nothing was changed.");
        }
    }

    /// <summary>
    /// A released script must never change: a database built by its earlier text keeps that schema (old triggers
    /// included) and no later migration would know. An unknown (null) hash cannot be compared and is let through.
    /// </summary>
    public static void RefuseChanged(IReadOnlyList<AppliedMigration> applied, IReadOnlyList<Migration> shipped, string database)
    {
        var recorded = applied.Where(a => a.Sha256 is not null).ToDictionary(a => a.Version, a => a.Sha256!);
        var changed = shipped.Where(m => recorded.TryGetValue(m.Version, out var hash) && hash != m.Sha256).ToList();
        if (changed.Count == 0)
        {
            return;
        }
        var details = changed.Select(m =>
            $"Migration {m.Version:D4} ({m.FileName}) was applied to this database from a script with SHA-256 {recorded[m.Version]}, " +
            $"but this Hearth ships {m.FileName} with SHA-256 {m.Sha256}.");
        throw new MigrationChangedException(
            $"The database ({database}) was built by different migration scripts than this Hearth's. " + string.Join(" ", details) +
            " A released migration must never change, so this database may not have the schema this Hearth expects. " +
            "If you build Hearth yourself, restore the released script and put the change into a new migration; otherwise run the " +
            "Hearth version that created this database, or point DATABASE_URL at another database. Nothing was changed.");
    }

    /// <summary>
    /// Hearth applies its migrations in order, in one transaction, so no Hearth leaves one out below another. One
    /// commit of main did (b108c0e, 23 November 2026, for 13 minutes): it shipped 0004 with a table 0003 creates
    /// today and no 0003, so 0003 cannot run on what it made. Refused before anything runs, instead of failing part
    /// way with the database's own words.
    /// </summary>
    public static void RefuseGaps(IReadOnlyList<AppliedMigration> applied, IReadOnlyList<Migration> shipped, string database)
    {
        var done = applied.Select(a => a.Version).ToHashSet();
        var newestApplied = applied.Count == 0 ? 0 : applied.Max(a => a.Version);
        var missing = shipped.Where(m => !done.Contains(m.Version) && m.Version < newestApplied).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        throw new MigrationGapException(
            $"The database ({database}) lacks migration{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => m.FileName))} " +
            $"but has later ones (up to {newestApplied}). No released Hearth leaves a migration out, so a development build made it " +
            "(main at commit b108c0e, 23 November 2026, made such databases): it cannot be upgraded. Export its chats with the build " +
            "that made it, start this Hearth on a new database and import them. Nothing was changed.");
    }

    /// <summary>A pending script the database refused: the transaction is rolled back, so nothing of the run stays.</summary>
    public static MigrationFailedException Failed(Migration migration, string database, System.Data.Common.DbException error) =>
        new($"Migration {migration.FileName} failed on the database ({database}): " +
            $"{(error is Npgsql.PostgresException postgres ? postgres.MessageText : error.Message).TrimEnd('.')}. " +
            "Its schema is not what this Hearth's migrations expect (changed by hand, or made by a development build). Nothing was changed.", error);
}

internal sealed class DatabaseTooNewException(string message) : Exception(message);

internal sealed class MigrationGapException(string message) : Exception(message);

internal sealed class MigrationFailedException(string message, Exception inner) : Exception(message, inner);

internal sealed class MigrationChangedException(string message) : Exception(message);

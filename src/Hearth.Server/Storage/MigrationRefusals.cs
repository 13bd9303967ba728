namespace Hearth.Server.Storage;

/// <summary>
/// The databases the runner refuses to touch, each with a message that says what is wrong and what to do:
/// one written by a newer Hearth, and one whose recorded script differs from the script this build ships.
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
}

internal sealed class DatabaseTooNewException(string message) : Exception(message);

internal sealed class MigrationChangedException(string message) : Exception(message);

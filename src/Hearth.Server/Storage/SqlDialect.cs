using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hearth.Server.Storage;

/// <summary>The few places where SQLite and PostgreSQL need different SQL or error handling.</summary>
internal static class SqlDialect
{
    /// <summary>
    /// Serialises a read-then-write section across connections and processes. SQLite transactions already
    /// hold the write lock (BEGIN IMMEDIATE); PostgreSQL takes a transaction-scoped advisory lock on the name.
    /// </summary>
    public static Task SerializeAsync(this DbConnection connection, DbTransaction transaction, string name) =>
        connection is NpgsqlConnection
            ? connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@name))", new { name }, transaction)
            : Task.CompletedTask;

    /// <summary>
    /// Appended to the SELECT that starts a read-modify-write: PostgreSQL's default isolation lets two
    /// transactions read the same row and the second write undo the first (or collide on a derived key);
    /// the lock makes the second wait for the first. NO KEY: inserts that merely reference the row (a message,
    /// an artifact file) need not wait. SQLite's write transactions already exclude each other.
    /// </summary>
    /// <param name="keys">For a row about to be deleted: FOR UPDATE, which also waits for the writes that key-share it.</param>
    public static string ForUpdate(this DbConnection connection, bool keys = false) =>
        connection is NpgsqlConnection ? (keys ? " FOR UPDATE" : " FOR NO KEY UPDATE") : "";

    /// <summary>
    /// "column is one of the list in parameter": Dapper expands a list into <c>IN (...)</c> for SQLite but hands
    /// Npgsql an array, which PostgreSQL matches with <c>= ANY</c>.
    /// </summary>
    public static string In(bool postgres, string column, string parameter) =>
        postgres ? $"{column} = ANY({parameter})" : $"{column} IN {parameter}";

    public static string In(this DbConnection connection, string column, string parameter) =>
        In(connection is NpgsqlConnection, column, parameter);

    /// <summary>A boolean as each database writes it in SQL, so a query's terms match a partial index's predicate.</summary>
    public static string Literal(bool postgres, bool value) => postgres ? (value ? "TRUE" : "FALSE") : (value ? "1" : "0");

    public static string Literal(this DbConnection connection, bool value) => Literal(connection is NpgsqlConnection, value);

    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    public static bool IsForeignKeyViolation(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode == 787,
        _ => false,
    };

    /// <summary>
    /// Key-shares user <paramref name="userId"/>'s row on PostgreSQL (nothing on SQLite, whose writes are serialised),
    /// before the rows keyed to that user a write adds (a chat, an artifact file) and before any folder. A user's
    /// deletion locks the row right after their chats, so the two queue instead of each holding what the other needs
    /// (AGENTS.md, "Lock order"); once the user is gone, the write's own foreign key refuses it.
    /// </summary>
    public static Task KeyShareUserAsync(this DbConnection connection, DbTransaction transaction, string userId) =>
        connection is NpgsqlConnection
            ? connection.ExecuteAsync("SELECT 1 FROM users WHERE id = @userId FOR KEY SHARE", new { userId }, transaction)
            : Task.CompletedTask;
}

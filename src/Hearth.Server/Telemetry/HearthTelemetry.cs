using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hearth.Server.Telemetry;

/// <summary>
/// Hearth's own spans and instruments (the framework's, Npgsql's and HttpClient's come from them). Each costs nothing
/// while no exporter listens, so the code records unconditionally.
/// </summary>
internal static class HearthTelemetry
{
    public const string Name = "Hearth";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>Replies streaming from a model server (<c>kind</c>: <c>completion</c> saved by Hearth, <c>proxy</c> passed through).</summary>
    private static readonly UpDownCounter<long> ActiveStreams =
        Meter.CreateUpDownCounter<long>("hearth.completions.active_streams", "{stream}", "Replies streaming from a model server now.");

    /// <summary>SQLite has no pool metrics of its own: connections open now, counted as they open and close.</summary>
    private static readonly UpDownCounter<long> SqliteConnections =
        Meter.CreateUpDownCounter<long>("hearth.db.sqlite.connections.open", "{connection}", "SQLite connections open now.");

    public static IDisposable Stream(string kind)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind);
        ActiveStreams.Add(1, tag);
        return new Ending(() => ActiveStreams.Add(-1, tag));
    }

    /// <summary>
    /// Counts a SQLite connection while it is open and, when traces are exported, spans its life (Microsoft.Data.Sqlite
    /// has no instrumentation; a connection per unit of work makes its life the database's share of a request).
    /// </summary>
    public static void Track(System.Data.Common.DbConnection connection)
    {
        SqliteConnections.Add(1);
        var span = Source.StartActivity("sqlite connection", ActivityKind.Client);
        span?.SetTag("db.system.name", "sqlite");
        connection.StateChange += (_, change) =>
        {
            if (change.CurrentState == System.Data.ConnectionState.Closed)
            {
                SqliteConnections.Add(-1);
                span?.Dispose();
            }
        };
    }

    private sealed class Ending(Action end) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                end();
            }
        }
    }
}

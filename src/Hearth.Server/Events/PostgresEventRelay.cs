using System.Text.Json.Nodes;
using Hearth.Server.Storage;
using Npgsql;

namespace Hearth.Server.Events;

/// <summary>
/// Carries events between Hearth processes sharing one PostgreSQL database: each event is sent with
/// NOTIFY (its payload, or for a large one the id of a row holding it) and every process LISTENs and
/// delivers what other processes sent to its own subscribers.
/// </summary>
internal sealed class PostgresEventRelay(Database database, EventBus bus, ILogger<PostgresEventRelay> logger)
    : BackgroundService, IEventRelay
{
    public const string Channel = "hearth_events";
    private const int InlineLimit = 7000;
    private readonly string _origin = Guid.NewGuid().ToString("N");

    public void Forward(ChatEvent item) => _ = SendAsync(item);

    private async Task SendAsync(ChatEvent item)
    {
        try
        {
            var payload = new JsonObject
            {
                ["origin"] = _origin, ["user_id"] = item.UserId, ["chat_id"] = item.ChatId, ["message_id"] = item.MessageId,
                ["type"] = item.Type, ["data"] = item.Data.DeepClone(),
            }.ToJsonString();
            await using var connection = (NpgsqlConnection)await database.OpenAsync(CancellationToken.None);
            if (payload.Length > InlineLimit)
            {
                await using var store = new NpgsqlCommand(
                    "DELETE FROM relayed_events WHERE created_at < now() - interval '5 minutes'; " +
                    "INSERT INTO relayed_events (payload) VALUES (@payload) RETURNING id", connection);
                store.Parameters.AddWithValue("payload", payload);
                payload = "@" + await store.ExecuteScalarAsync();
            }
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            notify.Parameters.AddWithValue("channel", Channel);
            notify.Parameters.AddWithValue("payload", payload);
            await notify.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            logger.LogWarning(e, "Could not relay a {Type} event to other Hearth processes", item.Type);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = (NpgsqlConnection)await database.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => _ = ReceiveAsync(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException)
            {
                logger.LogWarning(e, "Event relay lost its PostgreSQL connection; listening again shortly");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task ReceiveAsync(string payload)
    {
        try
        {
            if (payload.StartsWith('@'))
            {
                await using var connection = (NpgsqlConnection)await database.OpenAsync(CancellationToken.None);
                await using var load = new NpgsqlCommand("SELECT payload FROM relayed_events WHERE id = @id", connection);
                load.Parameters.AddWithValue("id", long.Parse(payload[1..], System.Globalization.CultureInfo.InvariantCulture));
                payload = await load.ExecuteScalarAsync() as string ?? "{}";
            }
            if (JsonNode.Parse(payload) is not JsonObject obj || Chats.MessageTree.String(obj["origin"]) == _origin)
            {
                return;
            }
            bus.Deliver(new ChatEvent(Chats.MessageTree.String(obj["user_id"]) ?? "", Chats.MessageTree.String(obj["chat_id"]) ?? "",
                Chats.MessageTree.String(obj["message_id"]) ?? "", Chats.MessageTree.String(obj["type"]) ?? "", obj["data"] as JsonObject ?? new JsonObject()));
        }
        catch (Exception e) when (e is NpgsqlException or System.Text.Json.JsonException or FormatException)
        {
            logger.LogWarning(e, "Could not read a relayed event");
        }
    }
}

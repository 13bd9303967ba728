using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Hearth.Server.Common;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Completions;

/// <summary>
/// One model as OpenAI's API describes it (<c>object</c>, <c>created</c>, <c>owned_by</c>), with the connection that
/// serves it and, for a model with a workspace entry, that entry (<c>info</c>, as Open WebUI lists it).
/// </summary>
internal sealed record ModelInfo(string Id, string Name, string OwnedBy, string Connection, long Created,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonObject? Info = null)
{
    public string Object { get; } = "model";
}

/// <summary>A connection whose models could not be listed; <see cref="Status"/> is what a request for its models answers.</summary>
internal sealed record ConnectionError(string Connection, string Detail, [property: JsonIgnore] int Status = 502);

internal sealed record ModelList(IReadOnlyList<ModelInfo> Data, IReadOnlyList<ConnectionError> Errors)
{
    public string Object { get; } = "list";
}

/// <summary>The models of every connection, asked for at most every few seconds; a connection that is down is reported, not fatal.</summary>
internal sealed class ModelCatalog(ModelClient client, IOptions<CompletionOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A model missing from a list younger than this is taken as missing. Asking again at once would send every request
    /// that names an unknown model (a typo, a retired <c>TASK_MODEL</c> asked for each title) to every model server.
    /// </summary>
    private static readonly TimeSpan RelistForMissingAfter = TimeSpan.FromSeconds(2);

    /// <summary>The last listing and when it was made: one reference, so a reader on another thread sees it whole.</summary>
    private volatile Listing? _cache;

    private sealed record Listing(DateTimeOffset At, ModelList List);

    public IReadOnlyList<ModelConnection> Connections => options.Value.Connections;

    /// <summary>The listing being made, which requests that find the cache stale at the same time share.</summary>
    private Task<ModelList>? _listing;

    private readonly Lock _listingGate = new();

    public async Task<ModelList> ListAsync(CancellationToken cancellationToken)
    {
        if (_cache is { } cached && clock.GetUtcNow() - cached.At < CacheFor)
        {
            return cached.List;
        }
        Task<ModelList> listing;
        lock (_listingGate)
        {
            // Many requests at the moment the cache goes stale (hundreds of streams starting) ask the servers once.
            listing = _listing is { IsCompleted: false } running ? running : _listing = ListEveryConnectionAsync();
        }
        return await listing.WaitAsync(cancellationToken);
    }

    /// <summary>Every connection's models; each connection's own time limit bounds it, not one caller's cancellation.</summary>
    private async Task<ModelList> ListEveryConnectionAsync()
    {
        var results = await Task.WhenAll(Connections.Select(c => ListAsync(c, CancellationToken.None)));
        var list = new ModelList(results.SelectMany(r => r.Models).ToList(), results.SelectMany(r => r.Errors).ToList());
        _cache = new Listing(clock.GetUtcNow(), list);
        return list;
    }

    /// <summary>The connection serving <paramref name="model"/>, or null when no connection lists it.</summary>
    /// <exception cref="UpstreamFailure">No connection that answered lists it and another did not answer, so it may be that one's.</exception>
    public async Task<ModelConnection?> ResolveAsync(string model, CancellationToken cancellationToken) =>
        await FindAsync(model, cancellationToken) is { } info ? Connections.First(c => c.Id == info.Connection) : null;

    /// <summary>The model as listed, or null when every connection answered and none lists it.</summary>
    /// <exception cref="UpstreamFailure">No connection that answered lists it and another did not answer.</exception>
    public async Task<ModelInfo?> FindAsync(string model, CancellationToken cancellationToken)
    {
        var list = await ListAsync(cancellationToken);
        var info = list.Data.FirstOrDefault(m => m.Id == model);
        if (info is null && _cache is { } cached && clock.GetUtcNow() - cached.At >= RelistForMissingAfter)
        {
            // A model added on the server since the last look, or a server back up: ask again once.
            _cache = null;
            list = await ListAsync(cancellationToken);
            info = list.Data.FirstOrDefault(m => m.Id == model);
        }
        if (info is null && list.Errors.Count > 0)
        {
            var down = string.Join("; ", list.Errors.Select(e => ErrorMessages.ConnectionFailed(e.Connection, e.Detail)));
            throw new UpstreamFailure(list.Errors.All(e => e.Status == 504) ? 504 : 502, ErrorMessages.ModelServerDown(model, down));
        }
        return info;
    }

    private async Task<(List<ModelInfo> Models, List<ConnectionError> Errors)> ListAsync(ModelConnection connection, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ModelListTimeout);
        try
        {
            var path = connection.Kind == ConnectionKind.Ollama ? "api/tags" : "models";
            using var response = await client.GetAsync(connection, path, timeout.Token);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
            var models = connection.Kind == ConnectionKind.Ollama
                ? (body?["models"] as JsonArray ?? []).Select(m => MessageName(m?["name"]) ?? MessageName(m?["model"]))
                : (body?["data"] as JsonArray ?? []).Select(m => MessageName(m?["id"]));
            var owner = connection.Kind == ConnectionKind.Ollama ? "ollama" : "openai";
            var listedAt = clock.GetUtcNow().ToUnixTimeSeconds();
            return (models.OfType<string>().Select(id => new ModelInfo(id, id, owner, connection.Id, listedAt)).ToList(), []);
        }
        catch (Exception e) when (e is UpstreamFailure or OperationCanceledException or System.Text.Json.JsonException or HttpRequestException)
        {
            var timedOut = e is OperationCanceledException || e is UpstreamFailure { Status: 504 };
            var detail = e is OperationCanceledException ? $"no answer within {options.Value.ModelListTimeout.TotalSeconds:F0} s" : e.Message;
            return ([], [new ConnectionError(connection.Id, $"{connection.BaseUrl}: {detail}", timedOut ? 504 : 502)]);
        }
    }

    private static string? MessageName(JsonNode? node) => Chats.MessageTree.String(node);
}

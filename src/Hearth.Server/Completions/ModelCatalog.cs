using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Completions;

internal sealed record ModelInfo(string Id, string Name, string OwnedBy, string Connection);

internal sealed record ConnectionError(string Connection, string Detail);

internal sealed record ModelList(IReadOnlyList<ModelInfo> Data, IReadOnlyList<ConnectionError> Errors);

/// <summary>The models of every connection, asked for at most every few seconds; a connection that is down is reported, not fatal.</summary>
internal sealed class ModelCatalog(ModelClient client, IOptions<CompletionOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private (DateTimeOffset At, ModelList List)? _cache;

    public IReadOnlyList<ModelConnection> Connections => options.Value.Connections;

    public async Task<ModelList> ListAsync(CancellationToken cancellationToken)
    {
        if (_cache is { } cached && clock.GetUtcNow() - cached.At < CacheFor)
        {
            return cached.List;
        }
        var results = await Task.WhenAll(Connections.Select(c => ListAsync(c, cancellationToken)));
        var list = new ModelList(results.SelectMany(r => r.Models).ToList(), results.SelectMany(r => r.Errors).ToList());
        _cache = (clock.GetUtcNow(), list);
        return list;
    }

    /// <summary>The connection serving <paramref name="model"/>, or null when no connection lists it.</summary>
    public async Task<ModelConnection?> ResolveAsync(string model, CancellationToken cancellationToken)
    {
        var list = await ListAsync(cancellationToken);
        var info = list.Data.FirstOrDefault(m => m.Id == model);
        if (info is null && _cache is not null)
        {
            // A model added on the server since the last look: ask again once.
            _cache = null;
            info = (await ListAsync(cancellationToken)).Data.FirstOrDefault(m => m.Id == model);
        }
        return info is null ? null : Connections.First(c => c.Id == info.Connection);
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
            return (models.OfType<string>().Select(id => new ModelInfo(id, id, owner, connection.Id)).ToList(), []);
        }
        catch (Exception e) when (e is UpstreamFailure or OperationCanceledException or System.Text.Json.JsonException or HttpRequestException)
        {
            var detail = e is OperationCanceledException ? $"no answer within {options.Value.ModelListTimeout.TotalSeconds:F0} s" : e.Message;
            return ([], [new ConnectionError(connection.Id, $"{connection.BaseUrl}: {detail}")]);
        }
    }

    private static string? MessageName(JsonNode? node) => Chats.MessageTree.String(node);
}

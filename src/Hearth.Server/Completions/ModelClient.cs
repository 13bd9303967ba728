using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Hearth.Server.Common;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Completions;

/// <summary>A model server's refusal or absence, as the status and <c>detail</c> the client gets.</summary>
internal sealed class UpstreamFailure(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    /// <summary>
    /// What a call to a model server failed with, as the client's answer: its own failure as it is, a reply that broke
    /// off or was not JSON as 502; null for anything else (a cancellation, a bug), which each caller handles.
    /// </summary>
    public static UpstreamFailure? Of(Exception e) => e switch
    {
        UpstreamFailure failure => failure,
        IOException or HttpRequestException or System.Text.Json.JsonException => new UpstreamFailure(502, ErrorMessages.ModelReplyBroken(e.Message)),
        _ => null,
    };
}

/// <summary>
/// Sends chat completions to a connection and reads the reply as OpenAI chunks, whichever kind of server
/// answers. Unreachable servers become 502, slow ones 504, refusals their own status with their message.
/// </summary>
internal sealed class ModelClient(IHttpClientFactory factory, IOptions<CompletionOptions> options, TimeProvider clock)
{
    public const string HttpClientName = "models";

    /// <summary>Posts the request and returns once the reply's headers have arrived (or fails).</summary>
    public async Task<HttpResponseMessage> SendAsync(ModelConnection connection, JsonObject body, bool stream, CancellationToken cancellationToken)
    {
        var (path, payload) = connection.Kind == ConnectionKind.Ollama
            ? ("api/chat", OllamaTranslation.Request(body, stream))
            : ("chat/completions", body);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(connection.BaseUrl, path))
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        return await SendAsync(connection, request, cancellationToken);
    }

    public async Task<HttpResponseMessage> GetAsync(ModelConnection connection, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(connection.BaseUrl, path));
        return await SendAsync(connection, request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(ModelConnection connection, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (connection.ApiKey is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        using var firstByte = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        firstByte.CancelAfter(options.Value.FirstByteTimeout);
        HttpResponseMessage response;
        try
        {
            response = await factory.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, firstByte.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamFailure(504, ErrorMessages.ModelServerTimedOut(connection.BaseUrl, options.Value.FirstByteTimeout));
        }
        catch (HttpRequestException e)
        {
            throw new UpstreamFailure(502, ErrorMessages.ModelServerUnreachable(connection.BaseUrl, e.Message));
        }
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw new UpstreamFailure((int)response.StatusCode is >= 400 and < 600 ? (int)response.StatusCode : (int)HttpStatusCode.BadGateway,
                ErrorMessages.ModelServerRefused((int)response.StatusCode, ErrorText(text)));
        }
        return response;
    }

    /// <summary>
    /// The <c>data:</c> payloads of an OpenAI stream as the model server sent them (UTF-8; bytes that are not
    /// UTF-8 become U+FFFD, as a text reader reads them), or Ollama's NDJSON lines turned into such payloads;
    /// ends before <c>[DONE]</c>. A payload is valid until the next is asked for.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ChunksAsync(ModelConnection connection, HttpResponseMessage response,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var lines = new SseLineReader(stream);
        var id = $"chatcmpl-{Guid.NewGuid():N}";
        var created = clock.GetUtcNow().ToUnixTimeSeconds();
        while (await lines.ReadLineAsync(cancellationToken) is { } line)
        {
            if (connection.Kind == ConnectionKind.Ollama)
            {
                if (line.Length > 0 && JsonNode.Parse(Text(line.Span)) is JsonObject ollama)
                {
                    yield return Encoding.UTF8.GetBytes(OllamaTranslation.Chunk(ollama, id, created).ToJsonString());
                }
                continue;
            }
            if (!line.Span.StartsWith("data:"u8))
            {
                continue;
            }
            var data = line[5..];
            data = data[(data.Length - data.Span.TrimStart(" \t\f\v"u8).Length)..];
            if (data.Span.SequenceEqual("[DONE]"u8))
            {
                yield break;
            }
            yield return Utf8.IsValid(data.Span) ? data : Encoding.UTF8.GetBytes(Text(data.Span));
        }
    }

    /// <summary>UTF-8 bytes as text, any byte that is not UTF-8 replaced by U+FFFD.</summary>
    private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    /// <summary>A whole (non-streamed) reply as an OpenAI completion.</summary>
    public async Task<JsonObject> CompletionAsync(ModelConnection connection, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var reply = JsonNode.Parse(text) as JsonObject ?? throw new UpstreamFailure(502, ErrorMessages.ModelReplyNotAnObject);
        return connection.Kind == ConnectionKind.Ollama
            ? OllamaTranslation.Completion(reply, $"chatcmpl-{Guid.NewGuid():N}", clock.GetUtcNow().ToUnixTimeSeconds())
            : reply;
    }

    private static string ErrorText(string body)
    {
        try
        {
            var node = JsonNode.Parse(body);
            return node?["error"]?["message"]?.GetValue<string>() ?? node?["error"]?.ToString() ?? node?["detail"]?.ToString() ?? body;
        }
        catch (System.Text.Json.JsonException)
        {
            return body.Length > 500 ? body[..500] : body;
        }
    }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Hearth.Benchmarks;

/// <summary>A request that did not succeed: the run stops with it, so a figure never includes failed requests.</summary>
internal sealed class BenchmarkFailure(string message) : Exception(message);

/// <summary>
/// The benchmark's requests. Every answer is checked: anything but a 2xx throws <see cref="BenchmarkFailure"/>
/// naming the request, the status and the start of the body, and the run ends with a non-zero exit code.
/// </summary>
internal static class Requests
{
    public static HttpRequestMessage Get(Uri uri, string? key = null) => Authorized(new HttpRequestMessage(HttpMethod.Get, uri), key);

    public static HttpRequestMessage Post(Uri uri, string? key, string json, string mediaType = "application/json") =>
        Authorized(new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(json, Encoding.UTF8, mediaType) }, key);

    public static HttpRequestMessage Authorized(HttpRequestMessage request, string? key)
    {
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return request;
    }

    /// <summary>Sends, checks the status and reads the whole body (so the timing includes it).</summary>
    public static async Task SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        using (var response = await http.SendAsync(request))
        {
            await EnsureSuccessAsync(request, response);
            await response.Content.ReadAsByteArrayAsync();
        }
    }

    public static async Task<JsonNode> SendForJsonAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        using (var response = await http.SendAsync(request))
        {
            await EnsureSuccessAsync(request, response);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())
                   ?? throw new BenchmarkFailure($"{Describe(request)} answered null");
        }
    }

    /// <summary>A load-driver request: a fresh message from <paramref name="build"/> each time, sent and checked.</summary>
    public static Func<int, Task> Repeat(HttpClient http, Func<HttpRequestMessage> build) => _ => SendAsync(http, build());

    public static async Task EnsureSuccessAsync(HttpRequestMessage request, HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync();
        throw new BenchmarkFailure($"{Describe(request)} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
    }

    public static string Describe(HttpRequestMessage request) => $"{request.Method} {request.RequestUri?.PathAndQuery}";
}

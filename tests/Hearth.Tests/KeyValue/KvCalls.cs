using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.KeyValue;

/// <summary>The artifact API as a client calls it: raw JSON in, responses out (assertions stay in the tests).</summary>
internal static class KvCalls
{
    public static string Query(string key, string scope) => $"key={Uri.EscapeDataString(key)}&scope={Uri.EscapeDataString(scope)}";

    /// <param name="value">The value's raw JSON text, sent exactly as given.</param>
    public static Task<HttpResponseMessage> StoreAsync(this HttpClient client, string key, string scope, string value,
        string? ifMatch = null, string? ifNoneMatch = null, long? expectedVersion = null)
    {
        var expected = expectedVersion is null ? "" : $", \"expected_version\": {expectedVersion}";
        var body = $$"""{"key": {{JsonValue.Create(key).ToJsonString()}}, "scope": "{{scope}}", "value": {{value}}{{expected}}}""";
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/artifacts/store") { Content = Json.Raw(body) };
        AddConditions(request, ifMatch, ifNoneMatch);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> GetArtifactAsync(this HttpClient client, string key, string scope) =>
        client.GetAsync($"/api/artifacts/get?{Query(key, scope)}");

    public static Task<HttpResponseMessage> DeleteArtifactAsync(this HttpClient client, string key, string scope, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/artifacts/delete?{Query(key, scope)}");
        AddConditions(request, ifMatch, null);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PatchArtifactAsync(this HttpClient client, string key, string scope, string contentType,
        string patch, string? ifMatch = null)
    {
        var content = new StringContent(patch);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/artifacts/value?{Query(key, scope)}") { Content = content };
        AddConditions(request, ifMatch, null);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> MergePatchAsync(this HttpClient client, string key, string scope, string patch, string? ifMatch = null) =>
        client.PatchArtifactAsync(key, scope, "application/merge-patch+json", patch, ifMatch);

    public static Task<HttpResponseMessage> JsonPatchAsync(this HttpClient client, string key, string scope, string patch, string? ifMatch = null) =>
        client.PatchArtifactAsync(key, scope, "application/json-patch+json", patch, ifMatch);

    public static Task<HttpResponseMessage> BatchAsync(this HttpClient client, string operations) =>
        client.PostAsync("/api/artifacts/batch", Json.Raw($$"""{"operations": {{operations}}}"""));

    private static void AddConditions(HttpRequestMessage request, string? ifMatch, string? ifNoneMatch)
    {
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
    }

    /// <summary>Stores and asserts success; returns the artifact object.</summary>
    public static async Task<JsonObject> StoredAsync(this HttpClient client, string key, string scope, string value)
    {
        var body = await Json.ReadObjectAsync(await client.StoreAsync(key, scope, value), 200);
        Assert.True(body["success"]!.GetValue<bool>());
        return body["artifact"]!.AsObject();
    }

    /// <summary>The artifact object, or null after asserting the contract's 404 with body <c>null</c>.</summary>
    public static async Task<JsonObject?> ArtifactOrNullAsync(this HttpClient client, string key, string scope)
    {
        var response = await client.GetArtifactAsync(key, scope);
        if ((int)response.StatusCode == 404)
        {
            Assert.Equal("null", await response.Content.ReadAsStringAsync());
            return null;
        }
        return await Json.ReadObjectAsync(response, 200);
    }

    public static async Task<JsonArray> ListAsync(this HttpClient client, string query) =>
        (await Json.ReadAsync(await client.GetAsync($"/api/artifacts/list?{query}"), 200))!.AsArray();
}

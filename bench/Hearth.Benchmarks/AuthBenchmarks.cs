using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Hearth.Benchmarks;

internal static class AuthBenchmarks
{
    /// <summary>
    /// GET /api/v1/auths/ with an API key (key hash lookup joined to the user, then the user by id) against
    /// the bare app's primary-key lookup of a user.
    /// </summary>
    public static async Task CurrentUserWithApiKeyAsync(BenchmarkContext context)
    {
        var (hearth, baseline, http) = (context.Hearth, context.Baseline, context.Http);
        var token = await hearth.SignUpAsync(http, "bench-admin");
        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(hearth.Address, "/api/v1/auths/api_key"));
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var created = await http.SendAsync(create);
        created.EnsureSuccessStatusCode();
        var key = (await created.Content.ReadFromJsonAsync<JsonObject>())!["api_key"]!.GetValue<string>();
        var userId = await baseline.InsertUserAsync("bench-admin");
        var hearthUri = new Uri(hearth.Address, "/api/v1/auths/");
        var baselineUri = new Uri(baseline.Address, $"/users/{userId}");

        async Task HearthRequest(int _)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, hearthUri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        }

        async Task BaselineRequest(int _)
        {
            using var response = await http.GetAsync(baselineUri);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        }

        await context.MeasurePairAsync("GET /api/v1/auths/ (API key) vs PK lookup", "ratio reported (foundation)",
            HearthRequest, BaselineRequest);
    }
}

using System.Text.Json;

namespace Hearth.Benchmarks;

/// <summary>
/// A signed-up user of the benchmark: their id, API key and session token. Every benchmark authenticates with the key, as a
/// script does, and the bare baselines check the same key the same way (<see cref="BareAuth"/>); the app's benchmark
/// gives the browser the token as its session cookie, as signing in does.
/// </summary>
internal sealed record BenchUser(string Id, string Key, string Token)
{
    /// <summary>Signs <paramref name="name"/> up on the Hearth at <paramref name="address"/> and creates their key.</summary>
    public static async Task<BenchUser> CreateAsync(HttpClient http, Uri address, string name)
    {
        var signup = JsonSerializer.Serialize(new { name, email = $"{name}@example.com", password = "benchmark password" });
        var token = (await Requests.SendForJsonAsync(http, Requests.Post(new Uri(address, "/api/v1/auths/signup"), null, signup)))["token"]!.GetValue<string>();
        var key = (await Requests.SendForJsonAsync(http, Requests.Post(new Uri(address, "/api/v1/auths/api_key"), token, "{}")))["api_key"]!.GetValue<string>();
        var id = (await Requests.SendForJsonAsync(http, Requests.Get(new Uri(address, "/api/v1/auths/"), key)))["id"]!.GetValue<string>();
        return new BenchUser(id, key, token);
    }
}

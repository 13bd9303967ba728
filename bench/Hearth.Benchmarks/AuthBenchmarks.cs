using System.Text.Json.Nodes;

namespace Hearth.Benchmarks;

internal static class AuthBenchmarks
{
    /// <summary>
    /// GET /api/v1/auths/ with an API key against the bare app's GET /auths/, the same work: both hash the key,
    /// find its user through a cache of the same lifetime (a join on a miss) and answer the user with the
    /// permissions (cached on both sides, copied per request).
    /// </summary>
    public static async Task CurrentUserWithApiKeyAsync(BenchmarkContext context)
    {
        var (hearth, baseline, http) = (context.Hearth, context.Baseline, context.Http);
        var user = await hearth.CreateUserAsync(http, "bench-auth");
        await baseline.AddUserAsync(user, "bench-auth");
        var me = await Requests.SendForJsonAsync(http, Requests.Get(new Uri(hearth.Address, "/api/v1/auths/"), user.Key));
        baseline.Permissions = (JsonObject)me["permissions"]!.DeepClone();
        await context.MeasurePairAsync("GET /api/v1/auths/ (API key, cached) vs same cached lookup", "ratio reported (foundation)",
            Requests.Repeat(http, () => Requests.Get(new Uri(hearth.Address, "/api/v1/auths/"), user.Key)),
            Requests.Repeat(http, () => Requests.Get(new Uri(baseline.Address, "/auths/"), user.Key)));
    }
}

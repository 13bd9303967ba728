using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// Holds the OpenAPI document to what the server really answers. Every test server names the route that answered in
/// a header (<see cref="RouteHeader"/>), and every test client made by <see cref="HearthApp.Client"/> checks the
/// answer's status against the statuses the document lists for that route: a status the document does not list
/// fails the request that got it, so any test that reaches an undocumented answer reports the gap.
/// Set <c>HEARTH_TEST_UNDOCUMENTED_ANSWERS</c> to a file to list the gaps there instead of failing (a survey run).
/// </summary>
internal sealed partial class DocumentedAnswers : DelegatingHandler
{
    public const string RouteHeader = "X-Test-Route";
    private static readonly string? SurveyFile = Environment.GetEnvironmentVariable("HEARTH_TEST_UNDOCUMENTED_ANSWERS");
    private static readonly ConcurrentDictionary<string, IReadOnlySet<string>?> StatusesByOperation = new();
    private static readonly SemaphoreSlim DocumentRead = new(1, 1);
    private static readonly Lock SurveyWrite = new();
    private readonly Uri _server;

    public DocumentedAnswers(Uri server)
    {
        _server = server;
        InnerHandler = new SocketsHttpHandler();
    }

    /// <summary>A client of the Hearth at <paramref name="server"/>, signed in with <paramref name="token"/> when given.</summary>
    public static HttpClient Client(Uri server, string? token)
    {
        var client = new HttpClient(new DocumentedAnswers(server)) { BaseAddress = server };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues(RouteHeader, out var routes) && routes.FirstOrDefault() is { } route)
        {
            var operation = $"{request.Method.Method.ToLowerInvariant()} {PathOf(route)}";
            var statuses = await StatusesAsync(operation, cancellationToken);
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            // Pages and assets are left out of the document on purpose; an API route never is.
            var gap = statuses is null
                ? route.StartsWith("/api/", StringComparison.Ordinal) ? $"{operation} is not in the OpenAPI document" : null
                : statuses.Contains(status) ? null
                : $"{operation} answered {status}, which the OpenAPI document does not list for it (it lists {string.Join(", ", statuses.Order())})";
            if (gap is not null)
            {
                if (SurveyFile is null)
                {
                    response.Dispose();
                    throw new UndocumentedAnswerException(gap);
                }
                lock (SurveyWrite)
                {
                    File.AppendAllText(SurveyFile, statuses is null ? $"{operation} missing\n" : $"{operation} {status}\n");
                }
            }
        }
        return response;
    }

    /// <summary>
    /// A route pattern as the document writes its path: constraints, defaults and catch-all marks dropped, and no
    /// slash at the end (<c>MapGroup("/api/v1/chats").MapGet("/")</c> is <c>/api/v1/chats/</c>, the document's
    /// <c>/api/v1/chats</c>).
    /// </summary>
    public static string PathOf(string pattern) =>
        "/" + Parameter().Replace(pattern.Trim('/'), m => "{" + m.Groups[1].Value + "}");

    private async Task<IReadOnlySet<string>?> StatusesAsync(string operation, CancellationToken cancellationToken)
    {
        if (StatusesByOperation.TryGetValue(operation, out var known))
        {
            return known;
        }
        // A route this process has not seen in a document yet: read this server's (settings can add routes).
        await DocumentRead.WaitAsync(cancellationToken);
        try
        {
            if (!StatusesByOperation.TryGetValue(operation, out known))
            {
                using var client = new HttpClient { BaseAddress = _server };
                var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json", cancellationToken))!;
                foreach (var (path, item) in document["paths"]!.AsObject())
                {
                    foreach (var (method, body) in item!.AsObject())
                    {
                        StatusesByOperation.TryAdd($"{method} {path}",
                            body!["responses"]?.AsObject().Select(r => r.Key).ToHashSet() ?? []);
                    }
                }
            }
            // A route the document leaves out (pages, assets) is not held to it.
            return StatusesByOperation.GetOrAdd(operation, (IReadOnlySet<string>?)null);
        }
        finally
        {
            DocumentRead.Release();
        }
    }

    [GeneratedRegex(@"\{\**([^:}=?]+)[^}]*\}")]
    private static partial Regex Parameter();

    /// <summary>Every test server names the route that answered each request, for the client's check.</summary>
    public sealed class NameTheRoute : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Response.OnStarting(() =>
                {
                    if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern })
                    {
                        context.Response.Headers[RouteHeader] = pattern;
                    }
                    return Task.CompletedTask;
                });
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

public sealed class UndocumentedAnswerException(string message) : Exception(message);

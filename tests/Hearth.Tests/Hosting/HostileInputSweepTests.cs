using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>
/// Every route of the OpenAPI document, called with hostile ids and bodies by a signed-in user who owns
/// something and by a stranger: each answer is a client error or a success with a <c>detail</c> on errors,
/// never a 500. The routes are read from the document, so a new route is swept without being listed here.
/// </summary>
public abstract class HostileInputSweepTests(DatabaseKind kind) : HearthTest(kind)
{
    private static readonly string[] HostileIds =
    [
        // (%00 is left out: Kestrel itself refuses a NUL in the path with a bare 400, before Hearth sees the request.)
        "no-such-id", "..%2F..%2Fetc%2Fpasswd", "%F0%9F%98%80", new string('x', 3000), "'%20OR%201=1--", "%E2%80%AE",
    ];

    private static readonly string[] HostileBodies =
    [
        "{", "[]", "\"text\"", "123", "null", "{\"chat\": 5, \"name\": [], \"key\": {}, \"scope\": 1, \"value\": null}",
        "{\"" + new string('k', 5000) + "\": 1}", "{\"title\": \"\\ud800\", \"chat\": {\"title\": \"\\udc00\"}, \"chats\": [{\"chat\": {\"x\": \"\\ud800\"}}]}",
        // U+0000, which PostgreSQL's text cannot hold: in the fields routes read, and in the documents they keep.
        """
        {"name": "n\u0000", "email": "a\u0000@example.com", "password": "p\u0000", "new_password": "q\u0000", "title": "t\u0000",
         "content": "c\u0000", "key": "k\u0000", "scope": "personal", "value": "v\u0000", "role": "user\u0000", "type": "status\u0000",
         "folder_id": "\u0000", "parent_id": "\u0000", "profile_image_url": "/user.png\u0000"}
        """,
        """
        {"chat": {"title": "t\u0000", "tags": ["x\u0000"], "history": {"messages": {"m\u0000": {"content": "\u0000"}}, "currentId": "m\u0000"}},
         "meta": {"tags": ["a\u0000b"]}, "chats": [{"chat": {"title": "\u0000"}, "meta": {"tags": ["\u0000c"]}}],
         "data": {"\u0000": "\u0000"}, "value": {"\u0000": ["\u0000"]}, "arguments": {"code": "\u0000"}}
        """,
    ];

    // Streams that stay open by design (calling them would only wait), and sign-out, which would end the
    // session the rest of the sweep uses.
    private static readonly string[] Skipped = ["/api/events", "/api/artifacts/watch", "/api/v1/auths/signout"];

    [Fact]
    public async Task NoRouteAnswers500ToHostileIdsOrBodies()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var chat = await ChatDocs.CreateIdAsync(ada, "Owned", 2);
        var document = await Json.ReadObjectAsync(await app.Client().GetAsync("/openapi/v1.json"), 200);
        var failures = new List<string>();
        var calls = 0;
        foreach (var (template, operations) in document["paths"]!.AsObject())
        {
            if (Skipped.Contains(template))
            {
                continue;
            }
            foreach (var (method, _) in operations!.AsObject())
            {
                foreach (var path in Paths(template, chat))
                {
                    foreach (var body in method is "get" or "delete" ? [(string?)null] : HostileBodies.Cast<string?>())
                    {
                        foreach (var client in new[] { ada.Client, bob.Client })
                        {
                            calls++;
                            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path);
                            if (body is not null)
                            {
                                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                            }
                            using var response = await client.SendAsync(request);
                            // 503 is the completions routes' documented answer when no model server is configured.
                            if (response.StatusCode == HttpStatusCode.InternalServerError || (int)response.StatusCode >= 500 && !await HasDetailAsync(response))
                            {
                                failures.Add($"{method.ToUpperInvariant()} {path} {body?[..Math.Min(body.Length, 40)]} -> {(int)response.StatusCode}");
                            }
                            else if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound && !await HasDetailAsync(response))
                            {
                                failures.Add($"{method.ToUpperInvariant()} {path} -> {(int)response.StatusCode} without detail");
                            }
                        }
                    }
                }
            }
        }
        Assert.True(calls > 500, $"only {calls} calls: the OpenAPI document lists fewer routes than expected");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
    }

    /// <summary>Error bodies are JSON with a <c>detail</c> (the artifacts store's 404 is the JSON <c>null</c>, checked by its own tests).</summary>
    private static async Task<bool> HasDetailAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonNode.Parse(text) is JsonObject body && body["detail"] is not null;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>The template with each hostile id in every parameter, and once with a real chat id in them.</summary>
    private static IEnumerable<string> Paths(string template, string chatId)
    {
        if (!template.Contains('{'))
        {
            yield return template;
            yield return template + "?page=-1&limit=abc&size=0&type=%25&q=%25&skip=-5&order_by=';drop&direction=sideways";
            yield return template + "?q=%00&query=%00&text=%00&type=%00&key=%00&scope=%00&prefix=%00";
            yield break;
        }
        foreach (var id in HostileIds.Append(chatId))
        {
            yield return System.Text.RegularExpressions.Regex.Replace(template, @"\{[^}]+\}", id);
        }
    }
}

public sealed class HostileInputSweepTestsOnSqlite() : HostileInputSweepTests(DatabaseKind.Sqlite);
public sealed class HostileInputSweepTestsOnPostgres() : HostileInputSweepTests(DatabaseKind.Postgres);

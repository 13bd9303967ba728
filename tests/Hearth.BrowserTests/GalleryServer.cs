using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.BrowserTests;

/// <summary>A Hearth server on a real Kestrel port with a fresh SQLite data folder, and an API client to fill it.</summary>
public sealed class GalleryServer : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private GalleryServer(Dictionary<string, string?> settings) => _settings = settings;

    /// <summary>PBKDF2 at a thousand rounds: these tests sign people up and test no hash's strength.</summary>
    static GalleryServer() => Hearth.Server.Auth.Secrets.UseRoundsForTests(1000);

    public Uri Address { get; private set; } = null!;
    public string DataDir => _settings["DATA_DIR"]!;

    public static GalleryServer Start(Dictionary<string, string?>? settings = null)
    {
        var merged = new Dictionary<string, string?>
        {
            ["DATA_DIR"] = Directory.CreateTempSubdirectory("hearth-browser-").FullName,
            // Its own port: the start-up check would otherwise try PORT's default, 8080, which another program may hold.
            ["urls"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings ?? [])
        {
            merged[key] = value;
        }
        var server = new GalleryServer(merged);
        server.UseKestrel(0);
        server.StartServer();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
        return server;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    /// <returns>A client that sends the new user's token, and the token (for the browser's cookie).</returns>
    public async Task<(HttpClient Client, string Token)> SignUpAsync(string name, string password = "correct horse")
    {
        using var anonymous = new HttpClient { BaseAddress = Address };
        var response = await anonymous.PostAsJsonAsync("/api/v1/auths/signup", new { name, email = $"{name.ToLowerInvariant()}@example.com", password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, token);
    }

    /// <summary>A user added by an admin (active at once), signed in: a client that sends their token, the token and their id.</summary>
    public async Task<(HttpClient Client, string Token, string Id)> AddUserAsync(HttpClient admin, string name, string password = "correct horse")
    {
        var email = $"{name.ToLowerInvariant()}@example.com";
        (await admin.PostAsJsonAsync("/api/v1/auths/add", new { name, email, password, role = "user" })).EnsureSuccessStatusCode();
        using var anonymous = new HttpClient { BaseAddress = Address };
        var response = await anonymous.PostAsJsonAsync("/api/v1/auths/signin", new { email, password });
        response.EnsureSuccessStatusCode();
        var signedIn = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var token = signedIn["token"]!.GetValue<string>();
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, token, signedIn["id"]!.GetValue<string>());
    }

    /// <summary>A chat with one question and one answer (message ids u0 and a0).</summary>
    public static Task<string> CreateChatAsync(HttpClient client, string title) =>
        CreateChatAsync(client, title, "Plot the **sales** please", "Here is the chart and the report.");

    /// <summary>A chat with <paramref name="question"/> (message u0) and <paramref name="answer"/> (a0, by llama3).</summary>
    public static async Task<string> CreateChatAsync(HttpClient client, string title, string question, string answer)
    {
        var chat = new JsonObject
        {
            ["title"] = title,
            ["history"] = new JsonObject
            {
                ["currentId"] = "a0",
                ["messages"] = new JsonObject
                {
                    ["u0"] = new JsonObject { ["id"] = "u0", ["parentId"] = null, ["childrenIds"] = new JsonArray("a0"), ["role"] = "user", ["content"] = question },
                    ["a0"] = new JsonObject { ["id"] = "a0", ["parentId"] = "u0", ["childrenIds"] = new JsonArray(), ["role"] = "assistant", ["content"] = answer, ["model"] = "llama3" },
                },
            },
        };
        var response = await client.PostAsJsonAsync("/api/v1/chats/new", new { chat });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    public static Task<JsonObject> UploadAsync(HttpClient client, string chatId, string name, string text, string? messageId = null) =>
        UploadAsync(client, chatId, name, Encoding.UTF8.GetBytes(text), messageId);

    public static async Task<JsonObject> UploadAsync(HttpClient client, string chatId, string name, byte[] content, string? messageId = null)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", name } };
        if (messageId is not null)
        {
            form.Add(new StringContent(messageId), "message_id");
        }
        var response = await client.PostAsync($"/api/conversations/{chatId}/artifacts", form);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // Still held by a pooled connection: it is under /tmp.
        }
    }
}

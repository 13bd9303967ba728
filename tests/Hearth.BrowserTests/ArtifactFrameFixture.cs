using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Hearth.BrowserTests;

/// <summary>
/// One Hearth server and another site for the artifact frame tests: Ada has another app's values (personal
/// and shared) and a conversation of hostile and Claude-style artifacts.
/// </summary>
public sealed class ArtifactFrameFixture : IAsyncLifetime
{
    public GalleryServer Server { get; private set; } = null!;
    public OtherSite Elsewhere { get; private set; } = null!;
    public BrowserSession Browser { get; } = new();
    public HttpClient Ada { get; private set; } = null!;
    public string Token { get; private set; } = "";
    public string Chat { get; private set; } = "";
    public string OtherChat { get; private set; } = "";
    private readonly Dictionary<string, string> _urls = [];

    public async Task InitializeAsync()
    {
        await Browser.InitializeAsync();
        Elsewhere = await OtherSite.StartAsync();
        Server = GalleryServer.Start();
        (Ada, Token) = await Server.SignUpAsync("Ada");
        // Another app's data: what a hostile artifact would be after.
        (await Ada.PostAsJsonAsync("/api/artifacts/store", new { key = "notes-app/secret", scope = "personal", value = "s3cret" })).EnsureSuccessStatusCode();
        (await Ada.PostAsJsonAsync("/api/artifacts/store", new { key = "notes-app/team", scope = "shared", value = "team plan" })).EnsureSuccessStatusCode();
        Chat = await GalleryServer.CreateChatAsync(Ada, "Apps");
        OtherChat = await GalleryServer.CreateChatAsync(Ada, "More apps");
        await UploadAsync(Chat, "snoop.html", HostileArtifacts.Snoop);
        await UploadAsync(Chat, "exfiltrate.html", HostileArtifacts.Exfiltrate(Elsewhere.Origin));
        foreach (var mode in new[] { "gallery", "direct" })
        {
            await UploadAsync(Chat, $"journal-{mode}.html", HostileArtifacts.Journal);
        }
    }

    public async Task<string> UploadAsync(string chat, string name, string html)
    {
        var item = await GalleryServer.UploadAsync(Ada, chat, name, html);
        return _urls[chat + "/" + name] = item["url"]!.GetValue<string>();
    }

    /// <summary>The newest artifact of that name in <see cref="Chat"/>.</summary>
    public string Url(string name) => _urls[Chat + "/" + name];

    public async Task<string> SignedUrlAsync(string name)
    {
        var answer = await Ada.GetFromJsonAsync<JsonObject>(Url(name) + "/signed-url?expires_in=600");
        return answer!["url"]!.GetValue<string>();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Server.DisposeAsync();
        await Elsewhere.DisposeAsync();
    }
}

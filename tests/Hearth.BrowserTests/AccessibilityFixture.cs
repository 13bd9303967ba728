using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.BrowserTests.App;

namespace Hearth.BrowserTests;

/// <summary>
/// The servers <see cref="AccessibilityTests"/> reads: a fresh Hearth (its first sign-up page) and one with an admin,
/// a pending account, chats in every sidebar section (pinned, a folder, tagged, archived), a conversation with files
/// of each preview kind and a share link open to visitors.
/// </summary>
public sealed class AccessibilityFixture : IAsyncLifetime
{
    public BrowserSession Browser { get; } = new();
    public GalleryServer Fresh { get; private set; } = null!;
    public ChatAppServer App { get; private set; } = null!;
    public HttpClient Ada { get; private set; } = null!;
    public string AdaToken { get; private set; } = "";
    public string PendingToken { get; private set; } = "";
    public string SalesChat { get; private set; } = "";
    public string ShareId { get; private set; } = "";
    public string ReportUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Browser.InitializeAsync();
        Fresh = GalleryServer.Start();
        App = await ChatAppServer.StartAsync(settings: new() { ["ENABLE_SIGNUP"] = "true" });
        (Ada, AdaToken) = await App.Hearth.SignUpAsync("Ada");
        (_, PendingToken) = await App.Hearth.SignUpAsync("Bob");

        SalesChat = await GalleryServer.CreateChatAsync(Ada, "Sales analysis 2024", "Plot the **sales** please",
            "Here is the chart and the report:\n\n| Month | Sales |\n|---|---|\n| May | 12 |\n\n> Figures in thousands, `EUR`.\n\n```python\nprint('hi')  # greet\n" + AccessibilityTests.LongLine + "\n```");
        await GalleryServer.UploadAsync(Ada, SalesChat, "paper.pdf", SampleFiles.Pdf(), "a0");
        await GalleryServer.UploadAsync(Ada, SalesChat, "heatmap.png", SampleFiles.GradientPng(480, 300), "a0");
        await GalleryServer.UploadAsync(Ada, SalesChat, "sales_chart.svg", SampleFiles.ChartSvg("Monthly sales", "#f97316"), "a0");
        ReportUrl = (await GalleryServer.UploadAsync(Ada, SalesChat, "report.html", SampleFiles.Report, "a0"))["url"]!.GetValue<string>();
        await GalleryServer.UploadAsync(Ada, SalesChat, "analysis.py", SampleFiles.Python);
        await GalleryServer.UploadAsync(Ada, SalesChat, "summary.md", SampleFiles.Markdown);
        await GalleryServer.UploadAsync(Ada, SalesChat, "data.csv", SampleFiles.Csv, "a0");
        await GalleryServer.UploadAsync(Ada, SalesChat, "archive.zip", [0x50, 0x4B, 0x03, 0x04, 0, 0, 0xFF, 0xFE]);
        (await Ada.PostAsJsonAsync($"/api/v1/chats/{SalesChat}/tags", new { name = "finance" })).EnsureSuccessStatusCode();
        (await Ada.PostAsync($"/api/v1/chats/{SalesChat}/share", null)).EnsureSuccessStatusCode();
        ShareId = JsonNode.Parse(await Ada.GetStringAsync($"/api/v1/chats/{SalesChat}"))!["share_id"]!.GetValue<string>();
        (await Ada.PostAsJsonAsync("/api/v1/auths/admin/config", new Dictionary<string, bool> { ["ENABLE_PUBLIC_SHARES"] = true })).EnsureSuccessStatusCode();

        var pinned = await GalleryServer.CreateChatAsync(Ada, "Pinned plan");
        (await Ada.PostAsync($"/api/v1/chats/{pinned}/pin", null)).EnsureSuccessStatusCode();
        var archived = await GalleryServer.CreateChatAsync(Ada, "Old receipts");
        (await Ada.PostAsync($"/api/v1/chats/{archived}/archive", null)).EnsureSuccessStatusCode();
        var folder = (await (await Ada.PostAsJsonAsync("/api/v1/folders/", new { name = "Work" })).Content.ReadFromJsonAsync<JsonObject>())!;
        var filed = await GalleryServer.CreateChatAsync(Ada, "Quarterly report");
        (await Ada.PostAsJsonAsync($"/api/v1/chats/{filed}/folder", new { folder_id = folder["id"]!.GetValue<string>() })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await App.DisposeAsync();
        await Fresh.DisposeAsync();
    }
}

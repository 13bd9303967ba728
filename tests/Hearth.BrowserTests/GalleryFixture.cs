namespace Hearth.BrowserTests;

/// <summary>One server for the read-only gallery tests: Ada's two conversations with one artifact of every preview kind (and a broken image), and a chat of long lines.</summary>
public sealed class GalleryFixture : IAsyncLifetime
{
    public GalleryServer Server { get; private set; } = null!;
    public string Token { get; private set; } = "";
    public string SalesChat { get; private set; } = "";
    public string TripChat { get; private set; } = "";
    public string LongChat { get; private set; } = "";
    public BrowserSession Browser { get; } = new();

    /// <summary>The names newest first, as the gallery shows them.</summary>
    public static readonly string[] NewestFirst =
        ["archive.zip", "data.csv", "summary.md", "analysis.py", "report.html", "heatmap.png", "itinerary.md", "sales_chart.svg", "broken.png", "paper.pdf"];

    public async Task InitializeAsync()
    {
        await Browser.InitializeAsync();
        Server = GalleryServer.Start();
        var (client, token) = await Server.SignUpAsync("Ada");
        Token = token;
        SalesChat = await GalleryServer.CreateChatAsync(client, "Sales analysis 2024");
        TripChat = await GalleryServer.CreateChatAsync(client, "Trip to Lisbon");
        LongChat = await GalleryServer.CreateChatAsync(client, "Long lines", "Sum every month", SampleFiles.LongMessage);
        await GalleryServer.UploadAsync(client, SalesChat, "paper.pdf", SampleFiles.Pdf(), "a0");
        await GalleryServer.UploadAsync(client, TripChat, "broken.png", SampleFiles.NotAPng);
        await GalleryServer.UploadAsync(client, SalesChat, "sales_chart.svg", SampleFiles.ChartSvg("Monthly sales", "#f97316"), "a0");
        await GalleryServer.UploadAsync(client, TripChat, "itinerary.md", "# Lisbon\n\n1. Alfama\n2. Belém");
        await GalleryServer.UploadAsync(client, SalesChat, "heatmap.png", SampleFiles.GradientPng(480, 300), "a0");
        await GalleryServer.UploadAsync(client, SalesChat, "report.html", SampleFiles.Report, "a0");
        await GalleryServer.UploadAsync(client, SalesChat, "analysis.py", SampleFiles.Python);
        await GalleryServer.UploadAsync(client, SalesChat, "summary.md", SampleFiles.Markdown);
        await GalleryServer.UploadAsync(client, SalesChat, "data.csv", SampleFiles.Csv);
        await GalleryServer.UploadAsync(client, SalesChat, "archive.zip", [0x50, 0x4B, 0x03, 0x04, 0, 0, 0xFF, 0xFE]);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Server.DisposeAsync();
    }
}

using System.IO.Compression;
using System.Text;

namespace Hearth.BrowserTests;

/// <summary>Files like the ones agents make: a chart, a report with a script, code, Markdown, data, an archive.</summary>
internal static class SampleFiles
{
    public const string Report = """
        <!DOCTYPE html><html><head><title>Quarterly report</title><style>body{font:16px sans-serif;margin:2rem;color:#1f2937}</style></head>
        <body><h1>Quarterly report</h1><p>Script ran: <b id="ran">no</b></p><p>Parent page: <b id="parent">?</b></p>
        <p>Cookies: <b id="cookie">?</b></p><p>Hearth API: <b id="api">?</b></p>
        <script>
          document.getElementById('ran').textContent = 'yes';
          try { document.getElementById('parent').textContent = 'read ' + window.parent.document.title; }
          catch (e) { document.getElementById('parent').textContent = 'blocked'; }
          try { document.getElementById('cookie').textContent = 'read ' + document.cookie; }
          catch (e) { document.getElementById('cookie').textContent = 'blocked'; }
          try { window.parent.hacked = true; } catch (e) { }
          fetch('/api/artifacts', { credentials: 'include' })
            .then(function (r) { return r.text(); })
            .then(function (t) { document.getElementById('api').textContent = 'read ' + t.slice(0, 40); },
                  function () { document.getElementById('api').textContent = 'blocked'; });
        </script></body></html>
        """;

    public const string Python = """
        import matplotlib.pyplot as plt

        def plot_sales(months, totals):
            # Bar chart of the monthly totals
            fig, ax = plt.subplots(figsize=(8, 4))
            ax.bar(months, totals, color="#f97316")
            ax.set_title("Sales 2024")
            return fig

        if __name__ == "__main__":
            plot_sales(["Jan", "Feb", "Mar"], [120, 150.5, 98]).savefig("sales_chart.png")
        """;

    public const string Markdown = """
        # Sales summary

        Revenue grew **18%** over the quarter, led by *online* orders.

        | Month | Total |
        |-------|------:|
        | Jan   | 120   |
        | Feb   | 150.5 |

        - [x] Collect the data
        - [ ] Share with the team

        <script>window.injected = true</script>
        """;

    public const string Csv = "month,total\nJan,120\nFeb,150.5\nMar,98\n";

    /// <summary>Not an image, though its name says so: the gallery must not show the browser's broken-image icon for it.</summary>
    public static readonly byte[] NotAPng = Encoding.ASCII.GetBytes("this is not a PNG");

    /// <summary>A message whose words and code are wider than a phone: the conversation page must wrap or scroll them, not clip them.</summary>
    public static readonly string LongMessage =
        "See https://example.com/" + string.Join("/", Enumerable.Repeat("a-very-long-path-segment", 12)) + " for the data.\n\n" +
        "```\n" + "total = " + string.Join(" + ", Enumerable.Range(1, 60).Select(i => "month_" + i)) + "\n```\n\n" +
        "| " + string.Join(" | ", Enumerable.Range(1, 14).Select(i => "Column " + i)) + " |\n" +
        "|" + string.Concat(Enumerable.Repeat("---|", 14)) + "\n" +
        "| " + string.Join(" | ", Enumerable.Range(1, 14).Select(i => "value " + i)) + " |\n\n" +
        "The end of the answer.";

    /// <summary>A one-page PDF that says "Hello PDF preview", with a correct cross-reference table.</summary>
    public static byte[] Pdf()
    {
        const string content = "BT /F1 36 Tf 50 700 Td (Hello PDF preview) Tj ET";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = pdf.Length;
        pdf.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append($"{offset:D10} 00000 n \n");
        }
        pdf.Append($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    public static string ChartSvg(string title, string color) => $"""
        <svg xmlns="http://www.w3.org/2000/svg" width="640" height="400" viewBox="0 0 640 400">
          <rect width="640" height="400" fill="#ffffff"/>
          <text x="32" y="48" font-family="sans-serif" font-size="26" font-weight="bold" fill="#1f2937">{title}</text>
          <line x1="40" y1="350" x2="610" y2="350" stroke="#9ca3af" stroke-width="2"/>
          <rect x="70" y="190" width="70" height="160" rx="6" fill="{color}"/>
          <rect x="170" y="130" width="70" height="220" rx="6" fill="{color}"/>
          <rect x="270" y="220" width="70" height="130" rx="6" fill="{color}"/>
          <rect x="370" y="100" width="70" height="250" rx="6" fill="{color}"/>
          <rect x="470" y="160" width="70" height="190" rx="6" fill="{color}"/>
        </svg>
        """;

    /// <summary>A real PNG (an orange-to-violet gradient) written with the BCL's zlib, no imaging library.</summary>
    public static byte[] GradientPng(int width, int height)
    {
        var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0);
            for (var x = 0; x < width; x++)
            {
                raw.WriteByte((byte)(249 - 100 * x / width));
                raw.WriteByte((byte)(115 - 60 * y / height));
                raw.WriteByte((byte)(22 + 200 * x / width));
            }
        }
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            raw.Position = 0;
            raw.CopyTo(zlib);
        }
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 2;
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }
}

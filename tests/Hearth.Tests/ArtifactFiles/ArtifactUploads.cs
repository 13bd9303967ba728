using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.ArtifactFiles;

/// <summary>Uploading artifacts as an external tool does (multipart, field <c>file</c>) and reading the folders they land in.</summary>
internal static class ArtifactUploads
{
    public static MultipartFormDataContent Form(string name, byte[] content, string? contentType = null, string? messageId = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/octet-stream");
        form.Add(file, "file", name);
        if (messageId is not null)
        {
            form.Add(new StringContent(messageId), "message_id");
        }
        return form;
    }

    /// <summary>A multipart body written by hand, so a file name can carry what HttpClient refuses to send (control characters).</summary>
    public static HttpContent RawForm(string fileName, string text)
    {
        const string boundary = "hearth-test-boundary";
        var body = $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\n" +
                   $"Content-Type: text/plain\r\n\r\n{text}\r\n--{boundary}--\r\n";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        return content;
    }

    /// <summary>
    /// Posts with <c>Expect: 100-continue</c>, as careful clients do with large bodies: a refused upload is
    /// answered before its body is sent, so the answer is read instead of a connection cut mid-send.
    /// </summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string chatId, string name, byte[] content, string? contentType = null,
        string? messageId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{chatId}/artifacts") { Content = Form(name, content, contentType, messageId) };
        request.Headers.ExpectContinue = true;
        return client.SendAsync(request);
    }

    public static async Task<JsonObject> UploadAsync(TestUser user, string chatId, string name, string text = "hello", string? contentType = null,
        string? messageId = null) =>
        await Json.ReadObjectAsync(await PostAsync(user.Client, chatId, name, Encoding.UTF8.GetBytes(text), contentType, messageId), 200);

    public static async Task<JsonObject> UploadAsync(TestUser user, string chatId, string name, byte[] content, string? contentType = null) =>
        await Json.ReadObjectAsync(await PostAsync(user.Client, chatId, name, content, contentType), 200);

    public static string Id(JsonObject item) => item["id"]!.GetValue<string>();

    /// <summary>The artifact files (not sidecars) stored for a conversation on disk.</summary>
    public static string[] FilesOnDisk(HearthApp app, string chatId)
    {
        var folder = Path.Combine(app.DataDir, "uploads", "conversations", chatId, "artifacts");
        return Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
    }

    public static string ConversationFolder(HearthApp app, string chatId) => Path.Combine(app.DataDir, "uploads", "conversations", chatId);

    /// <summary>A 1x1 PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
}

using System.Text;
using System.Text.Json.Nodes;
using Hearth.Server.Completions;

namespace Hearth.Tests.Units;

/// <summary>OpenAI's error object from Hearth's bodies, and the relay that keeps a broken stream's lines whole.</summary>
public sealed class OpenAiErrorShapeTests
{
    [Theory]
    [InlineData("/api/chat/completions", true)]
    [InlineData("/api/v1/chat/completions", true)]
    [InlineData("/api/models", true)]
    [InlineData("/api/models/org/model", true)]
    [InlineData("/api/v1/embeddings", true)]
    [InlineData("/API/Models", true)]
    [InlineData("/api/v1/chats/abc", false)]
    [InlineData("/api/artifacts/get", false)]
    [InlineData("/api/modelsx", false)]
    [InlineData("/models", false)]
    public void OnlyThePathsOpenAiClientsCallAreShaped(string path, bool applies) =>
        Assert.Equal(applies, OpenAiErrors.Applies(path));

    [Fact]
    public void AValidationListBecomesOneMessageNamingTheField()
    {
        var body = JsonNode.Parse("""{"detail": [{"type": "missing", "loc": ["body", "messages", 0, "role"], "msg": "Field required", "input": null}]}""");
        var shaped = OpenAiErrors.WithError(body, 422)!;
        Assert.Equal("body.messages.0.role: Field required", shaped["error"]!["message"]!.GetValue<string>());
        Assert.Equal("role", shaped["error"]!["param"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", shaped["error"]!["type"]!.GetValue<string>());
        Assert.IsType<JsonArray>(shaped["detail"]);
    }

    [Fact]
    public void ABodyWithItsOwnErrorOrNoObjectIsLeftAlone()
    {
        Assert.Null(OpenAiErrors.WithError(JsonNode.Parse("""{"error": {"message": "upstream's"}}"""), 429));
        Assert.Null(OpenAiErrors.WithError(JsonNode.Parse("null"), 404));
        Assert.Equal("Service Unavailable", OpenAiErrors.WithError(JsonNode.Parse("{}"), 503)!["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARelayedStreamThatBreaksOffKeepsBackItsHalfLine()
    {
        var to = new MemoryStream();
        var error = await Assert.ThrowsAsync<IOException>(() => SseRelay.CopyAsync(new BreakingStream("data: {\"a\":1}\n\ndata: {\"b\""), to, default));
        Assert.Equal("broke", error.Message);
        await SseRelay.FailAsync(to, 502, "gone", default);
        var text = Encoding.UTF8.GetString(to.ToArray());
        Assert.StartsWith("data: {\"a\":1}\n\n\ndata: {\"detail\":\"gone\",\"error\":{\"message\":\"gone\"", text);
        Assert.EndsWith("\n\ndata: [DONE]\n\n", text);
        Assert.DoesNotContain("\"b\"", text);
    }

    /// <summary>Yields its text in one read, then fails as a dropped connection does.</summary>
    private sealed class BreakingStream(string text) : Stream
    {
        private bool _sent;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_sent)
            {
                throw new IOException("broke");
            }
            _sent = true;
            var bytes = Encoding.UTF8.GetBytes(text);
            bytes.CopyTo(buffer.Span);
            return ValueTask.FromResult(bytes.Length);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

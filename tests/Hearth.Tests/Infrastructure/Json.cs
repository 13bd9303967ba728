using System.Net;
using System.Text.Json.Nodes;

namespace Hearth.Tests.Infrastructure;

internal static class Json
{
    /// <summary>Asserts the status and returns the body as a JSON node (with the body in the failure message).</summary>
    public static async Task<JsonNode?> ReadAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status,
            $"Expected {status} but got {(int)response.StatusCode} {response.StatusCode}: {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, int status) =>
        (await ReadAsync(response, status))!.AsObject();

    /// <summary>Asserts an error answer: the status and the exact <c>detail</c> string.</summary>
    public static async Task AssertDetailAsync(HttpResponseMessage response, int status, string detail)
    {
        var body = await ReadObjectAsync(response, status);
        Assert.Equal(detail, body["detail"]?.GetValue<string>());
    }

    /// <summary>Asserts a FastAPI-shaped 422 and returns its first issue.</summary>
    public static async Task<JsonObject> AssertValidationErrorAsync(HttpResponseMessage response)
    {
        var body = await ReadObjectAsync(response, (int)HttpStatusCode.UnprocessableEntity);
        var issues = body["detail"]!.AsArray();
        Assert.NotEmpty(issues);
        var first = issues[0]!.AsObject();
        Assert.NotNull(first["type"]);
        Assert.NotNull(first["loc"]);
        Assert.NotNull(first["msg"]);
        return first;
    }

    public static HttpContent Raw(string text, string contentType = "application/json") =>
        new StringContent(text, System.Text.Encoding.UTF8, contentType);
}

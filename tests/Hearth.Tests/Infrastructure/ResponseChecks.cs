namespace Hearth.Tests.Infrastructure;

/// <summary>
/// Checks on a request whose answer a test needs only to have worked, such as an arrange step (pin this chat, add that
/// tag): a step that failed would leave the test to go on with the wrong state and fail later for a reason it does not
/// name, or pass for the wrong one. A failure names the request, the status and the start of the body.
/// </summary>
internal static class ResponseChecks
{
    private const int BodyShown = 500;

    /// <summary>Awaits the request and asserts a 2xx answer, then disposes it.</summary>
    public static async Task SucceedsAsync(this Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail(await DescribeAsync(response, "a success"));
        }
    }

    /// <summary>Awaits the request and asserts this exact status (an arrange step refused on purpose), then disposes it.</summary>
    public static async Task AnswersAsync(this Task<HttpResponseMessage> sending, int status)
    {
        using var response = await sending;
        if ((int)response.StatusCode != status)
        {
            Assert.Fail(await DescribeAsync(response, status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private static async Task<string> DescribeAsync(HttpResponseMessage response, string expected)
    {
        var request = response.RequestMessage;
        var body = await response.Content.ReadAsStringAsync();
        var shown = body.Length > BodyShown ? body[..BodyShown] + "…" : body;
        return $"{request?.Method} {request?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode} {response.StatusCode}, "
            + $"expected {expected}: {shown}";
    }
}

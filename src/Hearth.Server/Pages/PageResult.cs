using RazorSlices;

namespace Hearth.Server.Pages;

/// <summary>
/// A page (or a fragment of one) rendered from its Razor slice straight to the response, with the pages' security
/// headers, and encoded by <see cref="Html.Encoder"/> (markup-significant characters only: readable Unicode stays readable).
/// </summary>
/// <param name="policy">The page's Content-Security-Policy (<see cref="PageLayout.Policy"/> unless the page has an inline script it allows).</param>
internal sealed class PageResult(RazorSlice slice, int statusCode = StatusCodes.Status200OK, string policy = PageLayout.Policy) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => statusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using (slice)
        {
            PageLayout.Secure(httpContext, policy);
            // The layout reads the request (the signed-in user's theme).
            slice.HttpContext = httpContext;
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            await slice.RenderAsync(httpContext.Response.BodyWriter, Html.Encoder, httpContext.RequestAborted);
        }
    }
}

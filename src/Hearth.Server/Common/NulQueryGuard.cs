namespace Hearth.Server.Common;

/// <summary>
/// The query string's half of <see cref="NulFreeStringConverter"/>: a parameter (name or value) holding
/// U+0000 (<c>%00</c>) is a 422 before any route sees it, whatever the route does with it. Paths need no
/// check: Kestrel refuses a NUL in the path itself (a 400).
/// </summary>
internal static class NulQueryGuard
{
    public static IApplicationBuilder UseNulQueryGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            // The raw text is checked first, so the common request pays for no parsing.
            if (request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true
                && request.Query.FirstOrDefault(p => p.Key.Contains('\0') || p.Value.Any(v => v?.Contains('\0') == true)) is { Key: not null } bad)
            {
                context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                await context.Response.WriteAsJsonAsync(
                    new ValidationErrorBody([JsonUnicode.NulIssue(["query", bad.Key.Replace("\0", "")])]), JsonSettings.Wire, context.RequestAborted);
                return;
            }
            await next(context);
        });
}

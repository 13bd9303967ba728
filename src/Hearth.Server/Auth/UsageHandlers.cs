using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Server.Auth;

/// <summary>GET /api/v1/users/usage: the caller's message counts over a period (<c>days</c> 7–732, or <c>start_date</c>/<c>end_date</c>).</summary>
internal static class UsageHandlers
{
    public const string StartAfterEnd = "start_date must be before end_date";
    private const long Day = 86_400;

    public static async Task<Results<Ok<UsageResponse>, JsonHttpResult<ErrorBody>, JsonHttpResult<ValidationErrorBody>>> Get(
        CurrentUser caller, UserStore users, UserUsageStore usage, TimeProvider clock, CancellationToken cancellationToken,
        int? days = null, [FromQuery(Name = "start_date")] long? startDate = null, [FromQuery(Name = "end_date")] long? endDate = null)
    {
        if (days is < 7 or > 732)
        {
            return Errors.InvalidQuery("days", ErrorMessages.Between(7, 732), days);
        }
        var end = endDate ?? clock.GetUtcNow().ToUnixTimeSeconds();
        var created = (await users.GetAsync(caller.Id, cancellationToken))?.CreatedAt ?? end - 364 * Day;
        var start = startDate ?? (days is { } d ? end - (d - 1) * Day : Math.Max(created, end - 729 * Day));
        if (start > end)
        {
            return Errors.BadRequest(StartAfterEnd);
        }
        // At most two years of days are laid out, whatever was asked.
        start = Math.Max(start, end - 731 * Day);
        return TypedResults.Ok(await usage.ForAsync(caller.Id, start, end, cancellationToken));
    }
}

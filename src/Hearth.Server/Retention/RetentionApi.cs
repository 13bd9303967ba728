using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Server.Retention;

/// <summary>
/// <c>/api/v1/retention</c> (admins): the rules, a dry run that lists what a pass would remove now, and a pass
/// run at once.
/// </summary>
internal static class RetentionApi
{
    public const int DefaultPreviewLimit = 100;
    public const int MaxPreviewLimit = 10_000;

    public static RouteGroupBuilder MapRetention(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/retention").WithTags("Retention").RequireAuthorization(AuthSetup.Admin);
        group.MapGet("/config", (RetentionSettings settings, CancellationToken ct) => settings.GetAsync(ct)).WithName("GetRetentionConfig").WithSummary("Retention policies (admins)");
        group.MapPost("/config", UpdateConfig).WithName("UpdateRetentionConfig").WithSummary("Change retention policies (admins)");
        group.MapGet("/preview", Preview).WithName("PreviewRetention").WithSummary("What retention would remove or archive now (admins)");
        group.MapPost("/run", Run).WithName("RunRetention").WithSummary("Run retention now (admins)").Answers(409);
        return group;
    }

    public static async Task<Results<Ok<RetentionConfig>, JsonHttpResult<ValidationErrorBody>>> UpdateConfig(
        RetentionConfigForm form, RetentionSettings settings, CancellationToken cancellationToken) =>
        form.Invalid() is { } invalid
            ? Errors.Invalid(invalid.Field, ErrorMessages.InvalidRetentionRule, invalid.Input)
            : TypedResults.Ok(await settings.UpdateAsync(form, cancellationToken));

    public static async Task<Results<Ok<RetentionPreview>, JsonHttpResult<ValidationErrorBody>>> Preview(
        RetentionRunner runner, CancellationToken cancellationToken, [FromQuery] int limit = DefaultPreviewLimit) =>
        limit is < 0 or > MaxPreviewLimit
            ? Errors.InvalidQuery("limit", ErrorMessages.InvalidPreviewLimit(MaxPreviewLimit), limit)
            : TypedResults.Ok(await runner.PreviewAsync(limit, cancellationToken));

    public static async Task<Results<Ok<RetentionOutcome>, JsonHttpResult<ErrorBody>>> Run(RetentionRunner runner, CancellationToken cancellationToken) =>
        await runner.RunAsync(cancellationToken) is { } outcome
            ? TypedResults.Ok(outcome)
            : Errors.Status(StatusCodes.Status409Conflict, ErrorMessages.RetentionRunning);
}

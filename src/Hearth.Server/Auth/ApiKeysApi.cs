using Hearth.Server.Audit;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Auth;

/// <summary><c>/api/v1/auths/api_key</c>: one <c>sk-</c> key per user, shown once, stored hashed.</summary>
internal static class ApiKeysApi
{
    public static void MapApiKeys(this RouteGroupBuilder group)
    {
        group.MapPost("/api_key", Create).RequireAuthorization().WithName("CreateApiKey").WithSummary("Create the caller's API key (shown once)").Audited("auth.api_key.create", AuthAudit.OwnAccount);
        group.MapGet("/api_key", Get).RequireAuthorization().WithName("GetApiKey").WithSummary("The caller's API key, masked").Answers(404);
        group.MapDelete("/api_key", Delete).RequireAuthorization().WithName("DeleteApiKey").WithSummary("Delete the caller's API key").Audited("auth.api_key.delete", AuthAudit.OwnAccount);
    }

    /// <summary>Needs API keys on and, for users, the <c>features.api_keys</c> permission (403 as Open WebUI 0.11).</summary>
    public static async Task<Results<Ok<ApiKeyResponse>, JsonHttpResult<ErrorBody>>> Create(
        CurrentUser caller, CredentialStore credentials, RuntimeSettings settings, UserPermissions permissions, CancellationToken cancellationToken)
    {
        if (!(await settings.GetConfigAsync(cancellationToken)).EnableApiKey)
        {
            return Errors.Forbidden(ErrorMessages.ApiKeyNotAllowed);
        }
        if (!await permissions.GrantsAsync(caller, "features.api_keys", cancellationToken))
        {
            return Errors.Forbidden(ErrorMessages.ApiKeyCreationNotAllowed);
        }
        var key = Secrets.NewApiKey();
        var createdAt = await credentials.SetApiKeyAsync(caller.Id, Secrets.HashApiKey(key), Secrets.DisplayApiKey(key), cancellationToken);
        return TypedResults.Ok(new ApiKeyResponse(key, createdAt));
    }

    /// <summary>Only a masked form can be shown again: the key itself is not stored.</summary>
    public static async Task<Results<Ok<ApiKeyResponse>, JsonHttpResult<ErrorBody>>> Get(
        CurrentUser caller, CredentialStore credentials, CancellationToken cancellationToken) =>
        await credentials.GetApiKeyAsync(caller.Id, cancellationToken) is { } key
            ? TypedResults.Ok(new ApiKeyResponse(key.Display, key.CreatedAt))
            : Errors.NotFound(ErrorMessages.ApiKeyNotFound);

    public static async Task<Ok<bool>> Delete(CurrentUser caller, CredentialStore credentials, CancellationToken cancellationToken) =>
        TypedResults.Ok(await credentials.DeleteApiKeyAsync(caller.Id, cancellationToken));
}

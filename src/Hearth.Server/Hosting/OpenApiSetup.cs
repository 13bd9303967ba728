using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace Hearth.Server.Hosting;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>: Hearth's own name and version, and how to sign requests: a bearer
/// token (a session's JWT or an <c>sk-</c> API key) or the browser's cookie, required by every route that needs a user,
/// so generated clients and API explorers send the key.
/// </summary>
internal static class OpenApiSetup
{
    private const string Bearer = "bearer";
    private const string Cookie = "cookie";

    public static IServiceCollection AddHearthOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Hearth";
                document.Info.Version = CommonSetup.Version;
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT or API key",
                    Description = "A session token from POST /api/v1/auths/signin, or an API key (sk-...) from POST /api/v1/auths/api_key.",
                };
                document.Components.SecuritySchemes[Cookie] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Cookie,
                    Name = HearthAuthentication.CookieName,
                    Description = "The session cookie a browser gets at sign-in.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(OpenApiErrorAnswers.AddAsync);
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    // Two requirements: either scheme signs the request.
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] });
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Cookie, context.Document)] = [] });
                }
                return Task.CompletedTask;
            });
        });
}

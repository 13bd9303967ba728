using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Auth;

internal static class AuthSetup
{
    /// <summary>Any signed-in user, <c>pending</c> included (sign-out and the current user, nothing else).</summary>
    public const string SignedIn = "signed-in";
    public const string Admin = "admin";

    public static IServiceCollection AddAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>()
            .BindConfiguration("Auth")
            .Configure<IConfiguration>(AuthOptions.MapEnvironment)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptions.Validator>();
        services.AddSingleton<CredentialCache>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<SettingsStore>();
        services.AddSingleton<DefaultPermissions>();
        services.AddSingleton<RuntimeSettings>();
        services.AddSingleton<Groups.GroupStore>();
        services.AddSingleton<UserPermissions>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<SessionIssuer>();
        services.AddSingleton<SingleUser>();
        services.AddSingleton<SigninRateLimit>();
        services.AddSingleton<CredentialBinding>();
        services.AddSingleton<UserDetailsStore>();
        services.AddSingleton<AccountExport>();
        services.AddSingleton<UserUsageStore>();
        // First of the exception handlers: RequestErrorHandler, registered earlier, answers whatever reaches it.
        services.Insert(0, ServiceDescriptor.Singleton<Microsoft.AspNetCore.Diagnostics.IExceptionHandler, DeletedAccountAnswer>());

        services.AddAuthentication(HearthAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, HearthAuthentication>(HearthAuthentication.SchemeName, null);
        // The policies name no scheme: Hearth's is the default, so they judge the user the authentication middleware
        // found. Naming it sent every request through the authentication service a second time (the handler's result
        // is kept, but the service, the claims transformation and a copy of the principal ran again).
        services.AddAuthorizationBuilder()
            // The default for RequireAuthorization(): Open WebUI's "verified user", role user or admin.
            .SetDefaultPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.User, Roles.Admin).Build())
            .AddPolicy(SignedIn, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(Admin, policy => policy.RequireRole(Roles.Admin));
        return services;
    }

    public static WebApplication MapAuth(this WebApplication app)
    {
        app.MapAuthRoutes();
        app.MapUsers();
        app.MapPublicConfig();
        return app;
    }
}

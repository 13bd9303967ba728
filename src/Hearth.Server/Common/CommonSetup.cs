using System.Reflection;
using Hearth.Server.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;

namespace Hearth.Server.Common;

internal static class CommonSetup
{
    public static IServiceCollection AddErrorAnswers(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(options => JsonSettings.Apply(options.SerializerOptions));
        // Binding failures become exceptions that RequestErrorHandler turns into FastAPI-shaped bodies.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<RequestErrorHandler>();
        services.AddProblemDetails();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>Every response without a body of its own (404, 405, ...) still gets <c>{"detail": ...}</c>.</summary>
    public static WebApplication UseErrorAnswers(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            var detail = response.StatusCode switch
            {
                404 => ErrorMessages.RouteNotFound,
                405 => ErrorMessages.MethodNotAllowed,
                413 => ErrorMessages.BodyTooLarge(context.HttpContext.RequestServices
                    .GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.ServerOptions>>().Value.MaxRequestBodySize),
                415 => ErrorMessages.UnsupportedMediaType,
                _ => ReasonPhrase(response.StatusCode),
            };
            await response.WriteAsJsonAsync(new ErrorBody(detail), JsonSettings.Wire);
        });
        app.UseRequestHeadLimits();
        app.UseNulQueryGuard();
        return app;
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : $"HTTP {status}";

    public static string Version { get; } =
        typeof(CommonSetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static void MapVersion(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/version", () => TypedResults.Ok(new VersionResponse(Version))).AllowAnonymous().WithName("GetVersion").WithSummary("Hearth's version");
}

/// <summary><c>GET /api/version</c>: Open WebUI's shape, <c>{"version"}</c>.</summary>
public sealed record VersionResponse(string Version);

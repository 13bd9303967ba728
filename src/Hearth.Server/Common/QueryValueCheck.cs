using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Server.Common;

/// <summary>
/// Checks the query values an endpoint binds to numbers and flags before the endpoint runs, and answers a
/// FastAPI-shaped 422 naming the first that does not parse. The list of such parameters comes from the
/// endpoint's own binding metadata, not from the framework's messages; and the compiled endpoints (the Request
/// Delegate Generator) answer an optional number that does not parse with a bare 400 that names nothing.
/// </summary>
internal sealed class QueryValueCheck(RequestDelegate next)
{
    private readonly ConcurrentDictionary<Endpoint, QueryValue[]> _byEndpoint = new();

    private sealed record QueryValue(string Name, Type Type);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is { } endpoint && context.Request.QueryString.HasValue)
        {
            foreach (var value in _byEndpoint.GetOrAdd(endpoint, Find))
            {
                // A repeated value reaches the binder joined ("1,2"), which parses as no number: refused here as that.
                if (context.Request.Query.TryGetValue(value.Name, out var raw) && raw.ToString() is { Length: > 0 } text
                    && !Parses(value.Type, text))
                {
                    var (type, message) = Issue(value.Type);
                    context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                    await context.Response.WriteAsJsonAsync(new ValidationErrorBody([new ValidationIssue(type, ["query", value.Name], message, text)]),
                        JsonSettings.Wire, context.RequestAborted);
                    return;
                }
            }
        }
        await next(context);
    }

    /// <summary>Pydantic's type and words for a query value that does not parse as the parameter's type.</summary>
    public static (string Type, string Text) Issue(Type type) =>
        type == typeof(bool) ? ("bool_parsing", ErrorMessages.BoolParsing)
        : type == typeof(double) || type == typeof(float) || type == typeof(decimal) ? ("float_parsing", ErrorMessages.FloatParsing)
        : ("int_parsing", ErrorMessages.IntParsing);

    private static QueryValue[] Find(Endpoint endpoint)
    {
        var routeValues = (endpoint as RouteEndpoint)?.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        return endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>()
            .Where(binding => binding.HasTryParse && !binding.HasBindAsync)
            .Select(binding => binding.ParameterInfo)
            .Where(parameter => IsChecked(Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType) && FromQuery(parameter, routeValues))
            .Select(parameter => new QueryValue(parameter.GetCustomAttribute<FromQueryAttribute>()?.Name ?? parameter.Name!,
                Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType))
            .ToArray();
    }

    private static bool FromQuery(ParameterInfo parameter, HashSet<string> routeValues) =>
        parameter.GetCustomAttribute<FromQueryAttribute>() is not null
        || (!routeValues.Contains(parameter.Name!) && !parameter.GetCustomAttributes().Any(a => a is IFromRouteMetadata or IFromHeaderMetadata
            or IFromBodyMetadata or IFromFormMetadata or IFromServiceMetadata));

    private static bool IsChecked(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(bool)
        || type == typeof(double) || type == typeof(float) || type == typeof(decimal);

    /// <summary>As the binder parses them: invariant culture, the types' own rules.</summary>
    private static bool Parses(Type type, string text) => type switch
    {
        _ when type == typeof(int) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(long) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(short) => short.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(bool) => bool.TryParse(text, out _),
        _ when type == typeof(double) => double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(float) => float.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _),
        _ => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _),
    };
}

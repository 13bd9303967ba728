namespace Hearth.Server.Audit;

/// <summary>What an audited route was called with and how it answered.</summary>
internal sealed record AuditCall(HttpContext Http, IList<object?> Arguments, int Status, object? Value)
{
    /// <summary>The first argument of type <typeparamref name="T"/> (the route's form, usually).</summary>
    public T? Argument<T>() where T : class => Arguments.OfType<T>().FirstOrDefault();

    /// <summary>A route value (<c>{id}</c>, <c>{userId}</c>) as text.</summary>
    public string? Route(string name) => Http.Request.RouteValues[name]?.ToString();

    /// <summary>The posted form: the first argument whose type is named <c>...Form</c>, which is how Hearth names bodies.</summary>
    public object? Form => Arguments.FirstOrDefault(a => a is not null && a.GetType().Name.EndsWith("Form", StringComparison.Ordinal));
}

/// <summary>
/// <c>.Audited("group.update")</c> on a route writes one audit line after each call: the action, success below 400
/// and failure from 400 on, the HTTP status, the route's <c>{id}</c> as the target (its type the action's first
/// word), the posted form as the request and the answer's value as the response (both scrubbed, kept by level).
/// A <c>describe</c> function changes what the default gets wrong for a route (a sign-in's actor, a target in the body).
/// Calls refused before the handler (authentication, authorization, binding) are not audited here.
/// </summary>
internal static class AuditFilter
{
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string action, Func<AuditCall, AuditRecord, AuditRecord>? describe = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var audit = context.HttpContext.RequestServices.GetRequiredService<IAuditLog>();
            if (!audit.Enabled)
            {
                return await next(context);
            }
            object? result;
            try
            {
                result = await next(context);
            }
            catch (Exception) when (Record(context, audit, action, describe, null, StatusCodes.Status500InternalServerError))
            {
                throw;
            }
            Record(context, audit, action, describe, result, null);
            return result;
        });

    /// <summary>Always false, so a failure is recorded from inside the exception filter and still thrown.</summary>
    private static bool Record(EndpointFilterInvocationContext context, IAuditLog audit, string action,
        Func<AuditCall, AuditRecord, AuditRecord>? describe, object? result, int? failed)
    {
        var (status, value) = failed is { } code ? (code, null) : Answer(result);
        var call = new AuditCall(context.HttpContext, context.Arguments, status, value);
        var type = action.Split('.')[0];
        var record = new AuditRecord(action, AuditOutcome.Of(status), call.Route("id") is { } id ? new AuditTarget(type, id) : null)
        {
            Status = status,
            Request = call.Form,
            Response = value,
        };
        audit.Record(context.HttpContext, describe is null ? record : describe(call, record));
        return false;
    }

    /// <summary>The status and value of a handler's result, through <c>Results&lt;...&gt;</c> unions.</summary>
    private static (int Status, object? Value) Answer(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }
        return result switch
        {
            IStatusCodeHttpResult { StatusCode: { } code } and IValueHttpResult valued => (code, valued.Value),
            IStatusCodeHttpResult { StatusCode: { } code } => (code, null),
            IValueHttpResult valued => (StatusCodes.Status200OK, valued.Value),
            IResult => (StatusCodes.Status200OK, null),
            var plain => (StatusCodes.Status200OK, plain),
        };
    }
}

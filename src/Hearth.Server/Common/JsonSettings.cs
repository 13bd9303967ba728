using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Hearth.Server.Common;

/// <summary>
/// Wire JSON: snake_case names (the Open WebUI convention), strict about nulls and required members so
/// that a missing or mistyped field is a 422 instead of a silently defaulted value.
/// Raw documents (<c>JsonElement</c>/<c>JsonNode</c>) are untouched by the naming policy.
/// </summary>
internal static class JsonSettings
{
    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new NulFreeStringConverter());
        options.Converters.Add(new WellFormedJsonNodeConverter<JsonNode>());
        options.Converters.Add(new WellFormedJsonNodeConverter<JsonObject>());
        options.Converters.Add(new WellFormedJsonNodeConverter<JsonArray>());
    }

    public static readonly JsonSerializerOptions Wire = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Apply(options);
        return options;
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hearth.Server.KeyValue;

/// <summary>
/// JSON value equality as RFC 6902's <c>test</c> defines it: numbers by numeric value (1 equals 1.0),
/// strings by code points, objects by members regardless of order, arrays element by element.
/// </summary>
internal static class JsonEquality
{
    public static bool AreEqual(JsonNode? left, JsonNode? right)
    {
        var leftKind = left?.GetValueKind() ?? JsonValueKind.Null;
        var rightKind = right?.GetValueKind() ?? JsonValueKind.Null;
        if (leftKind != rightKind)
        {
            return false;
        }
        return leftKind switch
        {
            JsonValueKind.Null or JsonValueKind.True or JsonValueKind.False => true,
            JsonValueKind.String => string.Equals(left!.GetValue<string>(), right!.GetValue<string>(), StringComparison.Ordinal),
            JsonValueKind.Number => NumbersEqual(left!.ToJsonString(), right!.ToJsonString()),
            JsonValueKind.Array => ArraysEqual(left!.AsArray(), right!.AsArray()),
            _ => ObjectsEqual(left!.AsObject(), right!.AsObject()),
        };
    }

    private static bool ArraysEqual(JsonArray left, JsonArray right) =>
        left.Count == right.Count && left.Zip(right).All(pair => AreEqual(pair.First, pair.Second));

    private static bool ObjectsEqual(JsonObject left, JsonObject right) =>
        left.Count == right.Count &&
        left.All(member => right.TryGetPropertyValue(member.Key, out var other) && AreEqual(member.Value, other));

    /// <summary>Decimal first (exact for every everyday number), double for what decimal cannot hold.</summary>
    private static bool NumbersEqual(string left, string right)
    {
        const NumberStyles style = NumberStyles.Float;
        var culture = CultureInfo.InvariantCulture;
        if (decimal.TryParse(left, style, culture, out var leftDecimal) && decimal.TryParse(right, style, culture, out var rightDecimal))
        {
            return leftDecimal == rightDecimal;
        }
        return double.Parse(left, style, culture).Equals(double.Parse(right, style, culture));
    }
}

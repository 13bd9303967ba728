using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Hearth.Server.KeyValue;

/// <summary>
/// The version conditions a write may carry: <c>If-Match</c> (strong entity tags <c>"N"</c> or <c>*</c>),
/// <c>If-None-Match</c> (<c>*</c> creates only; tags compare weakly, RFC 9110 section 13.1.2) and the body's
/// <c>expected_version</c> (0 means "does not exist yet"). All that are given must hold.
/// </summary>
internal sealed record KvPrecondition(EntityTags? IfMatch, EntityTags? IfNoneMatch, long? ExpectedVersion)
{
    public static readonly KvPrecondition None = new(null, null, null);

    public bool IsNone => IfMatch is null && IfNoneMatch is null && ExpectedVersion is null;

    public static string ETag(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    public static KvPrecondition From(StringValues ifMatch, StringValues ifNoneMatch, long? expectedVersion) =>
        new(EntityTags.Parse(ifMatch, weakMatches: false), EntityTags.Parse(ifNoneMatch, weakMatches: true), expectedVersion);

    /// <param name="currentVersion">The stored version, or null when the artifact does not exist.</param>
    public bool HoldsFor(long? currentVersion)
    {
        if (IfMatch is not null && (currentVersion is null || !IfMatch.Matches(currentVersion.Value)))
        {
            return false;
        }
        if (IfNoneMatch is not null && currentVersion is not null && IfNoneMatch.Matches(currentVersion.Value))
        {
            return false;
        }
        return ExpectedVersion is null || ExpectedVersion == (currentVersion ?? 0);
    }
}

/// <summary>The entity tags of one conditional header: <c>*</c>, or the versions it names.</summary>
internal sealed record EntityTags(bool Any, IReadOnlyList<long> Versions)
{
    public bool Matches(long version) => Any || Versions.Contains(version);

    /// <returns>Null when the header is absent. A tag Hearth never sent (unquoted, not a number) names no version.</returns>
    public static EntityTags? Parse(StringValues header, bool weakMatches)
    {
        if (StringValues.IsNullOrEmpty(header))
        {
            return null;
        }
        var any = false;
        var versions = new List<long>();
        foreach (var raw in header.SelectMany(value => (value ?? "").Split(',')))
        {
            var tag = raw.Trim();
            if (tag == "*")
            {
                any = true;
                continue;
            }
            if (tag.StartsWith("W/", StringComparison.Ordinal))
            {
                if (!weakMatches)
                {
                    continue;
                }
                tag = tag[2..];
            }
            if (tag.Length > 2 && tag[0] == '"' && tag[^1] == '"'
                && long.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                versions.Add(version);
            }
        }
        return new EntityTags(any, versions);
    }
}

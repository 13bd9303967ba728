using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;

namespace Hearth.Server.Chats;

/// <summary>
/// Where pages of users' default chat lists begin, as last read, each labelled with the user's list version
/// (<c>chat_list_versions</c>, counted up by <see cref="ChatListVersions"/> on every write path whenever the list's
/// order or members may have changed).
/// A deep page then seeks from a known start instead of walking the index from the top, which is what made
/// OFFSET paging cost grow with the page number. Only every <see cref="Spacing"/>th page's start is kept,
/// so memory stays small and any page lies at most <see cref="Spacing"/> - 1 pages past a known start.
/// </summary>
internal sealed class ChatPageStarts : IDisposable
{
    public const int Spacing = 8;
    private const int MaxStartsPerList = 4096;
    private readonly MemoryCache _lists = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public sealed record Start(long UpdatedAt, string Id);

    /// <summary>
    /// The known start nearest at or before <paramref name="page"/> and the list version it was read at; page 1
    /// (the top, no start) when none is known. The caller checks the version against the database's.
    /// </summary>
    public (int Page, Start? Start, long? Version) Nearest(string userId, int pageSize, int page)
    {
        if (!_lists.TryGetValue((userId, pageSize), out Starts? starts))
        {
            return (1, null, null);
        }
        var nearest = (Page: 1, Start: (Start?)null, Version: (long?)null);
        // At most MaxStartsPerList entries: bounded whatever page number a request names.
        foreach (var (known, start) in starts!.ByPage)
        {
            if (known <= page && known > nearest.Page)
            {
                nearest = (known, start, starts.Version);
            }
        }
        return nearest;
    }

    /// <summary>
    /// Keeps <paramref name="start"/> as the first row of <paramref name="page"/> when that page is a
    /// checkpoint. The caller read the version and the rows in one snapshot, so the label is exactly the
    /// list state the start was read from.
    /// </summary>
    public void Remember(string userId, int pageSize, long? version, int page, Start start)
    {
        if (version is not { } current || page <= 1 || (page - 1) % Spacing != 0)
        {
            return;
        }
        var key = (userId, pageSize);
        if (!_lists.TryGetValue(key, out Starts? starts) || starts!.Version != current)
        {
            starts = _lists.Set(key, new Starts(current),
                new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(30) });
        }
        if (starts.ByPage.Count < MaxStartsPerList)
        {
            starts.ByPage[page] = start;
        }
    }

    public static int CheckpointAtOrBefore(int page) => (page - 1) / Spacing * Spacing + 1;

    public void Dispose() => _lists.Dispose();

    private sealed class Starts(long version)
    {
        public long Version { get; } = version;
        public ConcurrentDictionary<int, Start> ByPage { get; } = new();
    }
}

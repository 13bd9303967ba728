using System.Collections.Concurrent;

namespace Hearth.Server.Auth;

/// <summary>
/// Remembers, for a couple of seconds, which user a session or API key belongs to, so a burst of requests
/// does not repeat the same lookup. Every change in this process that could alter an answer (sign-out,
/// revocation, a key replaced or deleted, a user changed or deleted) empties it at once; a change made by
/// another Hearth process on the same database is seen within <see cref="Lifetime"/>.
/// </summary>
internal sealed class CredentialCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (UserRow User, DateTimeOffset Until)> _entries = new();
    private long _generation;

    public async Task<UserRow?> GetOrLoadAsync(string key, Func<Task<UserRow?>> load)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.Until > now)
        {
            return entry.User;
        }
        // A lookup that overlaps a change must not put the old answer back: only one that began after the
        // last clear is remembered.
        var generation = Interlocked.Read(ref _generation);
        var user = await load();
        if (user is not null && Interlocked.Read(ref _generation) == generation)
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }
            _entries[key] = (user, now + Lifetime);
        }
        else
        {
            _entries.TryRemove(key, out _);
        }
        return user;
    }

    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }
}

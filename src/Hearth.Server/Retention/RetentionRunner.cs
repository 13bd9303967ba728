using Hearth.Server.Chats;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Retention;

/// <summary>
/// A retention pass: each user's rule (<see cref="RetentionPolicy"/>), then their removable chats in bounded
/// batches, each its own short transaction through <see cref="ChatStore.RemoveExpiredAsync"/> (the one chat
/// write path) followed by a rest as long as it took, so serving never waits long behind it. The dry run walks
/// the same rules and writes nothing.
/// </summary>
internal sealed class RetentionRunner(
    RetentionSettings settings,
    RetentionStore store,
    RetentionLock passLock,
    ChatStore chats,
    RetentionAudit audit,
    IOptions<RetentionOptions> options,
    TimeProvider clock)
{
    /// <returns>What the pass did, or null when another pass (here or in another process) is running.</returns>
    public async Task<RetentionOutcome?> RunAsync(CancellationToken cancellationToken)
    {
        await using var lease = await passLock.TryTakeAsync(cancellationToken);
        if (lease is null)
        {
            return null;
        }
        int deleted = 0, archived = 0;
        await foreach (var (userId, rule, before) in RulesAsync(cancellationToken))
        {
            var delete = rule.Action == RetentionRule.Delete;
            while (true)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var batch = await store.CandidatesAsync(userId, rule, before, options.Value.BatchSize, cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }
                var removed = await chats.RemoveExpiredAsync(userId, batch.Select(c => c.Id).ToList(), before,
                    store.Removable(rule), delete, cancellationToken);
                if (removed.Count > 0)
                {
                    audit.ChatsRemoved(userId, rule.Action!, removed, rule.Days);
                }
                if (delete)
                {
                    deleted += removed.Count;
                }
                else
                {
                    archived += removed.Count;
                }
                // Every candidate changed under its lock (pinned, kept, updated) leaves the selection, so a batch
                // that removed nothing means the rest changed too: stop rather than spin.
                if (removed.Count == 0 || batch.Count < options.Value.BatchSize)
                {
                    break;
                }
                // As long a rest as the batch took (after its audit line: a stop during the rest loses nothing): a pass over a
                // large backlog (a rule set on a years-old server) takes at most half of a core and of the database's writer,
                // so the requests being served meanwhile hardly notice it.
                await Task.Delay(System.Diagnostics.Stopwatch.GetElapsedTime(started), cancellationToken);
            }
        }
        return new RetentionOutcome(deleted, archived);
    }

    /// <summary>What a pass would remove now: the total and the first <paramref name="limit"/> chats.</summary>
    public async Task<RetentionPreview> PreviewAsync(int limit, CancellationToken cancellationToken)
    {
        long total = 0;
        var chatsShown = new List<RetentionCandidate>();
        await foreach (var (userId, rule, before) in RulesAsync(cancellationToken))
        {
            total += await store.CountAsync(userId, rule, before, cancellationToken);
            if (chatsShown.Count < limit)
            {
                chatsShown.AddRange(await store.CandidatesAsync(userId, rule, before, limit - chatsShown.Count, cancellationToken));
            }
        }
        return new RetentionPreview(total, chatsShown);
    }

    /// <summary>Each user whose rule removes chats, with the rule and its cut-off (unix seconds).</summary>
    private async IAsyncEnumerable<(string UserId, RetentionRule Rule, long Before)> RulesAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var policy = (await settings.GetAsync(cancellationToken)).ToPolicy();
        if (!policy.RemovesAnything)
        {
            yield break;
        }
        var now = clock.GetUtcNow();
        foreach (var (userId, groupIds) in await store.UsersAsync(cancellationToken))
        {
            var rule = policy.For(userId, groupIds);
            if (!rule.KeepsEverything)
            {
                yield return (userId, rule, now.AddDays(-rule.Days).ToUnixTimeSeconds());
            }
        }
    }
}

using System.Text;
using Hearth.Server.Common;

namespace Hearth.Server.KeyValue;

/// <summary>
/// Applies a list of writes inside one transaction: lock and read each artifact, check its precondition,
/// write value and version together, then bring each namespace's byte total up to date and check the limits.
/// The first refusal stops everything; the caller rolls the transaction back.
/// </summary>
internal sealed class KvWriteTransaction(KvWriteSql rows, KvOptions limits, long now, string userId)
{
    private readonly Dictionary<string, (long Delta, int LastIndex)> _usage = new(StringComparer.Ordinal);
    private readonly List<WrittenKvEntry> _written = [];

    public async Task<WriteOutcome> ApplyAsync(IReadOnlyList<KvWrite> writes)
    {
        for (var index = 0; index < writes.Count; index++)
        {
            if (await ApplyAsync(index, writes[index]) is { } refusal)
            {
                return refusal;
            }
        }
        // In a fixed order, so that two transactions on PostgreSQL take the usage rows' locks alike.
        foreach (var (owner, (delta, lastIndex)) in _usage.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            if (delta == 0)
            {
                continue;
            }
            var total = await rows.AddUsageAsync(owner, delta);
            if (delta > 0 && OverLimit(owner, total) is { } detail)
            {
                return WriteOutcome.Refused(WriteStatus.TooLarge, lastIndex, null, detail);
            }
        }
        return WriteOutcome.Done(_written);
    }

    private string? OverLimit(string owner, long total) => owner == KvAddress.SharedOwner
        ? total > limits.MaxSharedBytes ? ErrorMessages.ArtifactSharedQuota(total, limits.MaxSharedBytes) : null
        : total > limits.MaxUserBytes ? ErrorMessages.ArtifactUserQuota(total, limits.MaxUserBytes) : null;

    private async Task<WriteOutcome?> ApplyAsync(int index, KvWrite write)
    {
        while (true)
        {
            var current = await rows.LockAsync(write.Address);
            if (!write.Condition.HoldsFor(current?.Version))
            {
                return WriteOutcome.Refused(WriteStatus.PreconditionFailed, index, current, ErrorMessages.ArtifactPreconditionFailed);
            }
            if (current is null && write is not StoreWrite)
            {
                return WriteOutcome.Refused(WriteStatus.NotFound, index, null, ErrorMessages.ArtifactNotFound);
            }
            if (write is DeleteWrite)
            {
                await rows.DeleteAsync(write.Address);
                Record(index, write, current!, deleted: true, -current!.Size);
                return null;
            }
            var value = write is PatchWrite patch ? patch.Patch.Apply(current!.Value!, limits.MaxValueBytes) : ValuePatchResult.Patched(((StoreWrite)write).Value);
            if (value.Value is null)
            {
                return WriteOutcome.Refused(value.Refusal, index, current, value.Problem);
            }
            var size = Encoding.UTF8.GetByteCount(value.Value);
            if (size > limits.MaxValueBytes)
            {
                return WriteOutcome.Refused(WriteStatus.TooLarge, index, null, ErrorMessages.ArtifactValueTooLarge(size, limits.MaxValueBytes));
            }
            var row = new KvRow
            {
                OwnerId = write.Address.Owner,
                Key = write.Address.Key,
                Value = value.Value,
                Version = (current?.Version ?? 0) + 1,
                Size = size,
                CreatedAt = current?.CreatedAt ?? now,
                UpdatedAt = now,
                UpdatedBy = userId,
            };
            if (current is not null)
            {
                await rows.UpdateAsync(row);
            }
            else if (!await rows.TryInsertAsync(row))
            {
                continue;
            }
            Record(index, write, row, deleted: false, size - (current?.Size ?? 0));
            return null;
        }
    }

    private void Record(int index, KvWrite write, KvRow row, bool deleted, long delta)
    {
        _written.Add(new WrittenKvEntry(write, row, deleted));
        var owner = write.Address.Owner;
        _usage[owner] = (_usage.GetValueOrDefault(owner).Delta + delta, index);
    }
}

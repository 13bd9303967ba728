namespace Hearth.Server.KeyValue;

/// <summary>One change asked of the store; a request or a batch is a list of them, applied all or nothing.</summary>
internal abstract record KvWrite(KvAddress Address, KvPrecondition Condition)
{
    public abstract string Op { get; }
}

internal sealed record StoreWrite(KvAddress Address, KvPrecondition Condition, string Value)
    : KvWrite(Address, Condition)
{
    public override string Op => "store";
}

internal sealed record DeleteWrite(KvAddress Address, KvPrecondition Condition)
    : KvWrite(Address, Condition)
{
    public override string Op => "delete";
}

internal sealed record PatchWrite(KvAddress Address, KvPrecondition Condition, IValuePatch Patch)
    : KvWrite(Address, Condition)
{
    public override string Op => "patch";
}

internal enum WriteStatus
{
    Written,
    PreconditionFailed,
    NotFound,
    PatchConflict,
    PatchedToNull,
    TooLarge,
}

/// <summary>An artifact after one write; <see cref="Deleted"/> rows are as they were just before.</summary>
internal sealed record WrittenKvEntry(KvWrite Write, KvRow Row, bool Deleted);

/// <summary>
/// What a list of writes came to: all <see cref="WriteStatus.Written"/> and committed, or refused at
/// <see cref="FailedIndex"/> with nothing written (<see cref="Current"/> is the artifact it met, if any).
/// </summary>
internal sealed record WriteOutcome(WriteStatus Status, IReadOnlyList<WrittenKvEntry> Written, int FailedIndex, KvRow? Current, string? Detail)
{
    public bool Succeeded => Status == WriteStatus.Written;

    public static WriteOutcome Done(IReadOnlyList<WrittenKvEntry> written) => new(WriteStatus.Written, written, -1, null, null);

    public static WriteOutcome Refused(WriteStatus status, int index, KvRow? current, string? detail) =>
        new(status, [], index, current, detail);
}

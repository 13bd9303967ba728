namespace Hearth.Server.Artifacts;

/// <summary>One change asked of the store; a request or a batch is a list of them, applied all or nothing.</summary>
internal abstract record ArtifactWrite(ArtifactAddress Address, ArtifactPrecondition Condition)
{
    public abstract string Op { get; }
}

internal sealed record StoreWrite(ArtifactAddress Address, ArtifactPrecondition Condition, string Value)
    : ArtifactWrite(Address, Condition)
{
    public override string Op => "store";
}

internal sealed record DeleteWrite(ArtifactAddress Address, ArtifactPrecondition Condition)
    : ArtifactWrite(Address, Condition)
{
    public override string Op => "delete";
}

internal sealed record PatchWrite(ArtifactAddress Address, ArtifactPrecondition Condition, IValuePatch Patch)
    : ArtifactWrite(Address, Condition)
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
internal sealed record WrittenArtifact(ArtifactWrite Write, ArtifactRow Row, bool Deleted);

/// <summary>
/// What a list of writes came to: all <see cref="WriteStatus.Written"/> and committed, or refused at
/// <see cref="FailedIndex"/> with nothing written (<see cref="Current"/> is the artifact it met, if any).
/// </summary>
internal sealed record WriteOutcome(WriteStatus Status, IReadOnlyList<WrittenArtifact> Written, int FailedIndex, ArtifactRow? Current, string? Detail)
{
    public bool Succeeded => Status == WriteStatus.Written;

    public static WriteOutcome Done(IReadOnlyList<WrittenArtifact> written) => new(WriteStatus.Written, written, -1, null, null);

    public static WriteOutcome Refused(WriteStatus status, int index, ArtifactRow? current, string? detail) =>
        new(status, [], index, current, detail);
}

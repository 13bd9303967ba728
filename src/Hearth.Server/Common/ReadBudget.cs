namespace Hearth.Server.Common;

/// <summary>
/// How many bytes some work may read, counted as they arrive (<see cref="Watch"/>) and not as a source declares
/// them: a zip entry can claim a few bytes and unpack to gigabytes. Past the limit every read fails with
/// <see cref="ReadBudgetExceededException"/> carrying <paramref name="whenExceeded"/>, a message a person can act on.
/// </summary>
internal sealed class ReadBudget(long maxBytes, string whenExceeded)
{
    public long Used { get; private set; }

    /// <summary>Starts counting again, for a budget that is per item (each chat of an export) rather than per whole.</summary>
    public void Restart() => Used = 0;

    /// <summary>A read-only view of <paramref name="inner"/> (closing it closes <paramref name="inner"/>) charging every byte to this budget.</summary>
    public Stream Watch(Stream inner) => new ChargedStream(inner, this);

    private void Charge(int bytes)
    {
        Used += bytes;
        if (Used > maxBytes)
        {
            throw new ReadBudgetExceededException(whenExceeded);
        }
    }

    private sealed class ChargedStream(Stream inner, ReadBudget budget) : ReadThroughStream(inner)
    {
        protected override void Saw(ReadOnlySpan<byte> bytes) => budget.Charge(bytes.Length);
    }
}

/// <summary>A read went past its <see cref="ReadBudget"/>; the message says which limit and how to raise it.</summary>
internal sealed class ReadBudgetExceededException(string message) : Exception(message);

using Hearth.Server.Common;

namespace Hearth.Tests.Units;

/// <summary>A budget counts what is read through it, however the reads are cut, and fails the read that goes past it.</summary>
public sealed class ReadBudgetTests
{
    [Fact]
    public async Task ReadsPastTheLimitFailWithTheBudgetsMessage()
    {
        var budget = new ReadBudget(1000, "too much");
        await using var watched = budget.Watch(new MemoryStream(new byte[5000]));
        var buffer = new byte[300];
        for (var i = 0; i < 3; i++)
        {
            await watched.ReadExactlyAsync(buffer);
        }
        watched.ReadExactly(buffer, 0, 100);
        Assert.Equal(1000, budget.Used);
        var past = await Assert.ThrowsAsync<ReadBudgetExceededException>(async () => await watched.ReadExactlyAsync(buffer.AsMemory(0, 1)));
        Assert.Equal("too much", past.Message);
    }

    [Fact]
    public async Task OneBudgetCountsEveryStreamWatchedAndRestartsWhenTold()
    {
        var budget = new ReadBudget(1000, "too much");
        await using (var first = budget.Watch(new MemoryStream(new byte[600])))
        {
            await first.CopyToAsync(Stream.Null);
        }
        await using var second = budget.Watch(new MemoryStream(new byte[600]));
        await Assert.ThrowsAsync<ReadBudgetExceededException>(() => second.CopyToAsync(Stream.Null));
        budget.Restart();
        Assert.Equal(0, budget.Used);
        await using var third = budget.Watch(new MemoryStream(new byte[1000]));
        await third.CopyToAsync(Stream.Null);
        Assert.Equal(1000, budget.Used);
    }

    [Fact]
    public async Task ATemporaryCopyOfASourceOverItsLimitIsNoneAndLeavesNothing()
    {
        var folder = Directory.CreateTempSubdirectory("hearth-copy-").FullName;
        try
        {
            Assert.Null(await TemporaryCopy.FromAsync(new MemoryStream(new byte[200_000]), 100_000, CancellationToken.None, folder));
            await using (var copy = await TemporaryCopy.FromAsync(new MemoryStream(new byte[100_000]), 100_000, CancellationToken.None, folder))
            {
                Assert.Equal((100_000, 0), (copy!.Length, copy.Position));
            }
            Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

using System.Globalization;
using Hearth.Server.KeyValue;

namespace Hearth.Tests.Units;

public sealed class KvTimestampTests
{
    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00.000Z")]
    [InlineData(1709373600123L, "2024-03-02T10:00:00.123Z")]
    [InlineData(1709373600007L, "2024-03-02T10:00:00.007Z")]
    [InlineData(1709373600090L, "2024-03-02T10:00:00.090Z")]
    [InlineData(253402300799999L, "9999-12-31T23:59:59.999Z")]
    public void ArtifactTimesAreIsoUtcWithMilliseconds(long unixMilliseconds, string expected) =>
        Assert.Equal(expected, KvResponse.Timestamp(unixMilliseconds));

    [Fact]
    public void EveryTimeReadsAsTheCustomFormatWouldWriteIt()
    {
        var random = new Random(7);
        for (var i = 0; i < 10_000; i++)
        {
            var unixMilliseconds = random.NextInt64(0, 253402300799999L);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                KvResponse.Timestamp(unixMilliseconds));
        }
    }
}

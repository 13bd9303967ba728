namespace Hearth.Server.Common;

/// <summary>Page numbers as the routes take them: 1-based, anything below 1 is page 1.</summary>
internal static class Paging
{
    /// <summary>
    /// Rows before <paramref name="page"/>, clamped to <see cref="int.MaxValue"/>: a huge page number is a page
    /// past the end (empty), never an overflow that wraps around to the first page.
    /// </summary>
    public static int Skip(int? page, int size) => (int)Math.Min((Math.Max(page ?? 1, 1) - 1L) * size, int.MaxValue);
}

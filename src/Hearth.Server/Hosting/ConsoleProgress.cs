namespace Hearth.Server.Hosting;

/// <summary>
/// Progress drawn on the console as it is reported. <see cref="Progress{T}"/> would draw it later on the thread pool,
/// so a last bar could land after the command's summary; here every report is drawn before the next line is written.
/// </summary>
internal sealed class ConsoleProgress<T>(Action<T> draw) : IProgress<T>
{
    private readonly Lock _console = new();

    public void Report(T value)
    {
        lock (_console)
        {
            draw(value);
        }
    }
}

using System.Reflection;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Hosting;

/// <summary>
/// A reason Hearth cannot start that the person running it can fix (a setting, the data folder, the port, the
/// database): its message says what is wrong, naming the setting, and what to do. Printed as it is, without a trace.
/// </summary>
internal sealed class StartupProblem(string message, Exception? cause = null) : InvalidOperationException(message, cause);

internal static class StartupFailure
{
    /// <summary>
    /// Whether Hearth is the program that was run. Under a test host or a benchmark (WebApplicationFactory runs
    /// Hearth's entry point inside another program) a start-up failure goes to that program, which shows it.
    /// </summary>
    public static bool HearthIsTheProcess => Assembly.GetEntryAssembly() == typeof(StartupFailure).Assembly;

    /// <summary>What to print for a failure: the problem's own words, or for anything unexpected its message and trace.</summary>
    public static string Describe(Exception failure) => Explain(failure) is { } problem
        ? $"Hearth cannot start: {problem}"
        : $"Hearth stopped on an unexpected error (please report it): {failure}";

    private static string? Explain(Exception failure) => failure switch
    {
        StartupProblem problem => problem.Message,
        OptionsValidationException invalid => string.Join(" ", invalid.Failures),
        Storage.DatabaseTooNewException or Storage.MigrationChangedException or Storage.MigrationGapException or Storage.MigrationFailedException
            => failure.Message,
        AggregateException { InnerExceptions.Count: 1 } aggregate => Explain(aggregate.InnerExceptions[0]),
        _ => null,
    };
}

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Hearth.MicroBenchmarks;

/// <summary>
/// BenchmarkDotNet micro-benchmarks of Hearth's pure hot code, with allocations ([MemoryDiagnoser]): BenchmarkDotNet's
/// own command line (<c>--filter '*'</c>, <c>--list flat</c>, <c>--job short</c>...). <c>--quick</c> is this project's:
/// a short job run in this process (no generated project to build), a few minutes for the whole set.
/// </summary>
internal static class Program
{
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance;
        if (args.Contains("--quick"))
        {
            config = config.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
            args = args.Where(a => a != "--quick").ToArray();
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}

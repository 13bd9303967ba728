using System.Reflection;
using Hearth.Server.Completions.Tools;
using Xunit.Sdk;

namespace Hearth.Tests.Completions;

/// <summary>
/// The <c>true</c> case of a <c>namespaces</c> theory, skipped (saying why) where this system permits no mount and
/// PID namespaces: there the run would quietly get none and the case would pass for the wrong reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class IsolatedRunAttribute : DataAttribute
{
    public IsolatedRunAttribute()
    {
        if (!PythonSandbox.CanIsolate)
        {
            Skip = IsolatedRunFactAttribute.Reason;
        }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[true]];
}

/// <summary>A test of what only a run with a root of its own guarantees (mount, PID and network namespaces).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class IsolatedRunFactAttribute : FactAttribute
{
    internal const string Reason = "This system permits no mount and PID namespaces for a run (unshare --mount --pid --net fails), so runs have no root of their own";

    public IsolatedRunFactAttribute()
    {
        if (!PythonSandbox.CanIsolate)
        {
            Skip = Reason;
        }
    }
}

/// <summary>A test of the whole-run memory limit: only where Hearth can make a control group with the memory controller.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RunCgroupFactAttribute : FactAttribute
{
    public RunCgroupFactAttribute()
    {
        if (!RunCgroup.Available)
        {
            Skip = "Hearth cannot make control groups here (no writable memory and pids controllers under its own group)";
        }
    }
}

/// <summary>A test of each run having a user of its own: only a root Hearth (with setpriv and the id range mapped) gives one.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OwnRunUserFactAttribute : FactAttribute
{
    public OwnRunUserFactAttribute()
    {
        if (!RunUser.OwnIds)
        {
            Skip = "Runs have no user of their own here: the tests do not run as root, setpriv is missing, or the user namespace maps too few ids";
        }
    }
}

/// <summary>A test of the per-run process limit: it needs a user of the run's own (the kernel counts its processes) or a control group.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RunProcessLimitFactAttribute : FactAttribute
{
    public RunProcessLimitFactAttribute()
    {
        if (!RunUser.OwnIds && !RunCgroup.Available)
        {
            Skip = "Runs have neither a user of their own nor a control group here, so nothing limits their processes as a whole";
        }
    }
}

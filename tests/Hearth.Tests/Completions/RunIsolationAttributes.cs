using System.Reflection;
using Hearth.Server.Completions.Tools;
using Xunit.Sdk;

namespace Hearth.Tests.Completions;

/// <summary>
/// The <c>true</c> case of a <c>pidNamespace</c> theory, skipped (saying why) where this system permits no PID
/// namespace: there the run would quietly get none and the case would pass for the wrong reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OwnPidNamespaceAttribute : DataAttribute
{
    public OwnPidNamespaceAttribute()
    {
        if (!PythonSandbox.CanOwnPids)
        {
            Skip = "This system permits no PID namespace (unshare -p -f --kill-child fails), so a run cannot have one";
        }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[true]];
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

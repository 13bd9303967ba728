using System.Runtime.InteropServices;

namespace Hearth.Server.Completions.Tools;

/// <summary>
/// Who a run's code is when Hearth is root (as in a container): never root, so it cannot read Hearth's data folder
/// or signing secret, and a user of its own per run, so no run can list, read or plant files in another's directory
/// (each is its user's, mode 0700) or signal another's processes. The id is drawn from a range no distribution gives
/// its accounts and needs no passwd entry. Where a user namespace maps too few ids for that range (rootless
/// containers), every run is <c>nobody</c> instead: still not root, but no longer apart from the others.
/// Null when Hearth is not root (or setpriv is missing): the code then runs as Hearth's own user.
/// </summary>
internal sealed class RunUser : IDisposable
{
    private const int Nobody = 65534;
    private const long Lowest = 1_000_000_000;
    private const long Highest = 2_000_000_000;

    /// <summary>The ids of this process's runs still alive or still on disk: two runs at once never share one.</summary>
    private static readonly HashSet<int> InUse = [];

    private static readonly Lazy<bool> RangeMapped = new(() => Maps("/proc/self/uid_map") && Maps("/proc/self/gid_map"));

    private RunUser(int id, bool ownId)
    {
        Id = id;
        OwnId = ownId;
    }

    public int Id { get; }

    /// <summary>Whether no other process has this id, so that every process with it is this run's (<see cref="RunKiller.KillUser"/>).</summary>
    public bool OwnId { get; }

    /// <summary>
    /// The command prefix that becomes this user. <c>--no-new-privs</c>: a set-uid program cannot give a process of
    /// the run another id, so the id finds every one of them.
    /// </summary>
    public string Setpriv => $"setpriv --reuid={Id} --regid={Id} --clear-groups --no-new-privs ";

    /// <summary>Whether runs get a user of their own here (tests of that skip where not, saying why).</summary>
    internal static bool Drops => !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess && File.Exists("/usr/bin/setpriv");

    /// <summary>Whether each run's user is its own, not the <c>nobody</c> they all share.</summary>
    internal static bool OwnIds => Drops && RangeMapped.Value;

    /// <summary>Makes the directory and the script this run's user's, mode 0700 and 0600; null when Hearth is not root.</summary>
    public static RunUser? Take(string directory, string script)
    {
        if (OperatingSystem.IsWindows() || !Drops)
        {
            return null;
        }
        var user = RangeMapped.Value ? Claim() : new RunUser(Nobody, ownId: false);
        try
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            GiveTo(directory, user.Id);
            GiveTo(script, user.Id);
            return user;
        }
        catch
        {
            user.Dispose();
            throw;
        }
    }

    /// <summary>Frees the id for another run: only once the run's processes are dead and its directory is gone.</summary>
    public void Dispose()
    {
        if (OwnId)
        {
            lock (InUse)
            {
                InUse.Remove(Id);
            }
        }
    }

    private static RunUser Claim()
    {
        lock (InUse)
        {
            int id;
            do
            {
                id = (int)Random.Shared.NextInt64(Lowest, Highest);
            }
            while (!InUse.Add(id));
            return new RunUser(id, ownId: true);
        }
    }

    /// <summary>lchown: the entry itself, never what it might link to.</summary>
    private static void GiveTo(string path, int id)
    {
        if (Lchown(path, (uint)id, (uint)id) != 0)
        {
            throw new IOException($"Could not give {path} to the run's user {id}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Whether one line of a uid_map or gid_map (<c>inside outside count</c>) covers the whole range.</summary>
    private static bool Maps(string file)
    {
        try
        {
            return File.ReadLines(file)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Any(f => f.Length == 3 && long.TryParse(f[0], out var inside) && long.TryParse(f[2], out var count) &&
                    inside <= Lowest && inside + count >= Highest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // DllImport, as RunKiller's kill: a string and two ints need no generated marshalling.
    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    private static extern int Lchown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);
}

using System.Diagnostics;

namespace Hearth.Server.Completions.Tools;

/// <summary>
/// The world a <c>python_exec</c> run sees where <c>unshare</c> permits mount, PID and network namespaces: a root of
/// its own (a size-limited tmpfs) holding only the system's programs and libraries read-only (<c>/usr</c> and its
/// links, a few files of <c>/etc</c> that loaders and Python read, Python's own prefix), five character devices, a
/// <c>/proc</c> of the run's PID namespace, private <c>/tmp</c>, <c>/var/tmp</c> and <c>/dev/shm</c>, and its working
/// directory. The data folder, other runs, the host's processes and every filesystem socket are simply not there,
/// whatever their modes; there is no network but a loopback that is down. A shell is the namespace's init: it builds
/// that root, runs the code in it (as the run's own user under a root Hearth, otherwise as a root of a user namespace
/// without any capability), kills whatever is left at the time limit, copies the working directory back out to the
/// host folder Hearth reads the files from, and exits; the kernel then kills anything still inside.
/// </summary>
internal static class RunNamespaces
{
    /// <summary>How long the init has after the time limit to kill what is left and copy the files out.</summary>
    public static readonly TimeSpan CopyOutTime = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The init script: <c>$1</c> the run's host folder, <c>$2</c> its working directory, <c>$3</c> the time limit in
    /// seconds, <c>$4</c> the tmpfs size in bytes, <c>$5</c> the run's user id (empty in a user namespace), <c>$6</c> the
    /// read-only paths (one per line); the rest is the command, run in the new root from the working directory.
    /// A failure to build the root ends the run with 125 before any code ran.
    /// </summary>
    private const string Init = """
        umask 022
        run=$1 work=$2 seconds=$3 size=$4 owner=$5 readonly=$6
        shift 6
        root=$run/root
        fail() { echo "python_exec: the sandbox could not be set up ($1)" >&2; exit 125; }
        mount -t tmpfs -o "size=$size,mode=0755,nosuid,nodev" hearth-run "$root" || fail "tmpfs"
        same() { mkdir -p "$root$(dirname "$1")"; }
        bind() {
            if [ -L "$1" ]; then same "$1"; ln -s "$(readlink "$1")" "$root$1"
            elif [ -d "$1" ]; then mkdir -p "$root$1"; mount --bind "$1" "$root$1" && mount -o remount,bind,ro,nosuid,nodev "$root$1" || fail "$1"
            elif [ -e "$1" ]; then same "$1"; : > "$root$1"; mount --bind "$1" "$root$1" && mount -o remount,bind,ro,nosuid,nodev "$root$1" || fail "$1"
            fi
        }
        IFS='
        '
        for path in $readonly; do bind "$path"; done
        unset IFS
        mkdir -p "$root/proc" "$root/dev/shm" "$root/tmp" "$root/var/tmp" "$root$work" || fail "folders"
        chmod 1777 "$root/tmp" "$root/var/tmp" "$root/dev/shm"
        for device in null zero full random urandom; do
            : > "$root/dev/$device"; mount --bind "/dev/$device" "$root/dev/$device" || fail "/dev/$device"
        done
        for stream in stdin:0 stdout:1 stderr:2; do ln -s "/proc/self/fd/${stream#*:}" "$root/dev/${stream%:*}"; done
        ln -s /proc/self/fd "$root/dev/fd"
        mount -t proc -o nosuid,nodev,noexec proc "$root/proc" || fail "/proc"
        cp -p "$work/.hearth_main.py" "$root$work/" || fail "script"
        if [ -n "$owner" ]; then chown -R "$owner:$owner" "$root$work" || fail "owner"; fi
        chmod 0700 "$root$work"
        chroot=$(PATH=/usr/sbin:/sbin:$PATH command -v chroot) || fail "chroot"
        status=0
        timeout -s KILL "$seconds" "$chroot" "$root" /usr/bin/env -C "$work" "$@" || status=$?
        kill -KILL -1 2>/dev/null
        rm -f "$root$work/.hearth_main.py"
        cp -a "$root$work/." "$work/" 2>/dev/null
        exit $status
        """;

    /// <summary>Where namespaces are permitted: the <c>unshare</c> command (with a user namespace unless Hearth is root).</summary>
    private static readonly Lazy<string?> Unshare = new(FindUnshare);

    internal static bool Available => Unshare.Value is not null;

    /// <summary>
    /// The command line (for <c>sh -c</c>) that runs <paramref name="command"/> isolated, or null where namespaces are
    /// not permitted. The caller's environment reaches the code unchanged.
    /// </summary>
    public static string? Command(string runFolder, string workDirectory, PythonExecOptions limits, int? owner, string command)
    {
        if (Unshare.Value is not { } unshare)
        {
            return null;
        }
        var seconds = Math.Max(1, (int)Math.Ceiling(limits.Timeout.TotalSeconds));
        var paths = string.Join('\n', ReadOnlyPaths(limits.Python));
        return $"exec {unshare} /bin/sh -c {Quote(Init)} sh {Quote(runFolder)} {Quote(workDirectory)} {seconds} {limits.DiskBytes} " +
            $"{Quote(owner?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "")} {Quote(paths)} {command}";
    }

    /// <summary>What a run may read: the system's programs and libraries, a few files of /etc, and Python's own prefixes.</summary>
    private static IEnumerable<string> ReadOnlyPaths(string python)
    {
        string[] system = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
        return system.Concat(EtcEntries.Value).Concat(PythonPrefixes.Value.Value(python)).Distinct();
    }

    /// <summary>What the loader, Python, its SSL and time modules and matplotlib's fonts read in /etc; no accounts, no host names.</summary>
    private static readonly Lazy<IReadOnlyList<string>> EtcEntries = new(() =>
    {
        string[] names = ["ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "nsswitch.conf", "mime.types",
            "ssl", "ca-certificates", "fonts", "alternatives", "matplotlibrc"];
        var python = Directory.Exists("/etc") ? Directory.EnumerateFileSystemEntries("/etc", "python3*").Select(Path.GetFileName).OfType<string>() : [];
        return names.Concat(python).Select(name => "/etc/" + name).ToList();
    });

    /// <summary>Python's prefixes outside the system folders (a virtual environment, a Python built into /opt), by the interpreter's own word.</summary>
    private static readonly Lazy<PrefixCache> PythonPrefixes = new(() => new PrefixCache());

    private sealed class PrefixCache
    {
        private readonly Dictionary<string, IReadOnlyList<string>> _byPython = [];

        public IReadOnlyList<string> Value(string python)
        {
            lock (_byPython)
            {
                if (!_byPython.TryGetValue(python, out var prefixes))
                {
                    prefixes = Ask(python);
                    _byPython[python] = prefixes;
                }
                return prefixes;
            }
        }

        private static IReadOnlyList<string> Ask(string python)
        {
            // Through the shell with the runs' PATH, so the name resolves to the interpreter the runs will get.
            var output = RunQuietly("/bin/sh", "-c", "exec \"$0\" -I -c 'import os, sys; print(sys.prefix); print(sys.base_prefix); print(os.path.realpath(sys.executable))'", python);
            return (output ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select((path, i) => i == 2 ? Path.GetDirectoryName(path) ?? path : path)
                .Where(path => Path.IsPathRooted(path) && path != "/" && !path.StartsWith("/usr/", StringComparison.Ordinal) && path != "/usr")
                .ToList();
        }
    }

    /// <summary>
    /// The <c>unshare</c> that works here, found by building a real root with it once and running <c>true</c> in it:
    /// a system may permit the namespaces yet refuse a mount the root needs, and then runs must not count on them.
    /// </summary>
    private static string? FindUnshare()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        var flags = "--mount --net --pid --fork --kill-child --propagation private";
        var unshare = Environment.IsPrivilegedProcess ? $"unshare {flags}" : $"unshare --map-root-user {flags}";
        var folder = Directory.CreateTempSubdirectory("hearth-probe-").FullName;
        try
        {
            var work = Directory.CreateDirectory(Path.Combine(folder, "work")).FullName;
            Directory.CreateDirectory(Path.Combine(folder, "root"));
            File.WriteAllText(Path.Combine(work, ".hearth_main.py"), "");
            var paths = string.Join('\n', ReadOnlyPaths("python3"));
            var probe = $"{unshare} /bin/sh -c {Quote(Init)} sh {Quote(folder)} {Quote(work)} 10 {1 << 20} '' {Quote(paths)} true && echo ok";
            return RunQuietly("/bin/sh", "-c", probe) == "ok\n" ? unshare : null;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A probe's output when it exits with 0 within 10 s (killed otherwise), else null.</summary>
    internal static string? RunQuietly(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(10_000))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            return process.ExitCode == 0 ? output.Result : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    internal static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";
}

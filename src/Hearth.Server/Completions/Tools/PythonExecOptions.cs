using Hearth.Server.Hosting;

namespace Hearth.Server.Completions.Tools;

/// <summary>Limits of <c>python_exec</c> (<c>PYTHON_EXEC_*</c> settings).</summary>
internal sealed class PythonExecOptions
{
    public string Python { get; set; } = "python3";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    public long MemoryBytes { get; set; } = 512L * 1024 * 1024;
    public int OutputBytes { get; set; } = 64 * 1024;
    public long MaxFileBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>Most processes (and threads) of one run at once.</summary>
    public int Processes { get; set; } = 64;

    /// <summary>Size of a run's private filesystem: its working directory, /tmp, /var/tmp and /dev/shm together.</summary>
    public long DiskBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>
    /// Mount, PID and network namespaces per run where the system permits them (not a setting): tests turn them off to
    /// exercise what systems without them get, the process group, the tree and the scan for leftovers.
    /// </summary>
    public bool Namespaces { get; set; } = true;

    public static void MapEnvironment(PythonExecOptions options, IConfiguration configuration)
    {
        options.Python = Setting.Raw(configuration, "PYTHON_EXEC_PATH") ?? options.Python;
        options.Timeout = Setting.Long(configuration, "PYTHON_EXEC_TIMEOUT", 1, 3600) is { } seconds ? TimeSpan.FromSeconds(seconds) : options.Timeout;
        options.MemoryBytes = (Setting.Long(configuration, "PYTHON_EXEC_MEMORY_MB", 32, 65536) ?? options.MemoryBytes / 1048576) * 1048576;
        options.OutputBytes = (int)(Setting.Long(configuration, "PYTHON_EXEC_OUTPUT_BYTES", 1024, 16 * 1048576) ?? options.OutputBytes);
        options.Processes = (int)(Setting.Long(configuration, "PYTHON_EXEC_MAX_PROCESSES", 4, 4096) ?? options.Processes);
        options.DiskBytes = (Setting.Long(configuration, "PYTHON_EXEC_DISK_MB", 1, 65536) ?? options.DiskBytes / 1048576) * 1048576;
    }
}

namespace Hearth.Server.Hosting;

/// <summary>Where Hearth listens and keeps its files (<c>PORT</c>, <c>HOST</c>, <c>DATA_DIR</c>).</summary>
internal sealed class ServerOptions
{
    public int Port { get; set; } = 8080;
    public string Host { get; set; } = "0.0.0.0";
    public string DataDir { get; set; } = "./data";
    public long MaxRequestBodySize { get; set; } = 16 * 1024 * 1024;

    public string DataDirFullPath => Path.GetFullPath(DataDir);
}

using Hearth.Server.Hosting;

namespace Hearth.Server.Completions.Tools;

/// <summary>Limits of <c>template_render</c> (<c>TEMPLATE_RENDER_*</c> settings), checked while the template renders.</summary>
internal sealed class TemplateRenderOptions
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    public long MaxOutputBytes { get; set; } = 5L * 1024 * 1024;
    public long MaxBlocks { get; set; } = 1_000_000;

    public static void MapEnvironment(TemplateRenderOptions options, IConfiguration configuration)
    {
        options.Timeout = Setting.Long(configuration, "TEMPLATE_RENDER_TIMEOUT", 1, 3600) is { } seconds ? TimeSpan.FromSeconds(seconds) : options.Timeout;
        options.MaxOutputBytes = Setting.Long(configuration, "TEMPLATE_RENDER_MAX_OUTPUT_BYTES", 1024, 1024L * 1024 * 1024) ?? options.MaxOutputBytes;
        options.MaxBlocks = Setting.Long(configuration, "TEMPLATE_RENDER_MAX_BLOCKS", 1, long.MaxValue) ?? options.MaxBlocks;
    }
}

using System.Linq.Expressions;
using System.Reflection;
using HandlebarsDotNet;

namespace Hearth.Server.Completions.Tools;

/// <summary>Why a render stopped early: the message names the limit and its setting.</summary>
internal sealed class RenderLimitException(string limit, string message) : Exception(message)
{
    /// <summary>Which limit: <c>output</c>, <c>blocks</c> or <c>timeout</c>.</summary>
    public string Limit { get; } = limit;
}

/// <summary>
/// What one render may spend: blocks rendered (each loop iteration, conditional section and partial, and the
/// template itself), and time, while the caller still waits. Handlebars.Net compiles a template to delegates
/// and gives no hook per step, so <see cref="Middleware"/> puts a call to <see cref="Tick"/> at the start of
/// every delegate it compiles: a nested <c>{{#each}}</c> checks the budget on every pass, whatever it writes.
/// </summary>
internal sealed class RenderBudget(long maxBlocks, TimeSpan timeout, CancellationToken stop, CancellationToken caller)
{
    private static readonly MethodInfo TickMethod = typeof(RenderBudget).GetMethod(nameof(Tick))!;

    /// <summary>Blocks rendered so far.</summary>
    public long Blocks { get; private set; }

    /// <summary>Called as each compiled block starts.</summary>
    public void Tick()
    {
        ThrowIfStopped();
        if (++Blocks > maxBlocks)
        {
            throw new RenderLimitException("blocks",
                $"The template stopped: it rendered more than {maxBlocks} blocks (loop passes, sections and partials; setting TEMPLATE_RENDER_MAX_BLOCKS).");
        }
    }

    /// <summary>Throws once the caller has left (then the render is simply abandoned) or the time is up.</summary>
    public void ThrowIfStopped()
    {
        if (stop.IsCancellationRequested)
        {
            caller.ThrowIfCancellationRequested();
            throw new RenderLimitException("timeout",
                $"The template stopped: it took longer than {timeout.TotalSeconds:0} s to render (setting TEMPLATE_RENDER_TIMEOUT).");
        }
    }

    public IExpressionMiddleware Middleware => new TickingMiddleware(this);

    private sealed class TickingMiddleware(RenderBudget budget) : IExpressionMiddleware
    {
        public Expression<T> Invoke<T>(Expression<T> expression) where T : Delegate
        {
            // Compiling a large template takes time too: the clock and the caller are checked between its blocks.
            budget.ThrowIfStopped();
            return Expression.Lambda<T>(Expression.Block(Expression.Call(Expression.Constant(budget), TickMethod), expression.Body),
                expression.Name, expression.TailCall, expression.Parameters);
        }
    }
}

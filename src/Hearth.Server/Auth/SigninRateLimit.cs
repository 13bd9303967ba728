using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Hearth.Server.Common;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Auth;

/// <summary>
/// Counts sign-in attempts before any password is hashed, so guessing is slow and cannot burn the CPU.
/// Every attempt counts, right or wrong, as in Open WebUI: a limiter that let successes go free would have
/// to look before the hash and count after it, and concurrent guesses would all pass the look.
/// Three sliding windows of <see cref="Window"/>, all of which must have room:
/// <list type="bullet">
/// <item>an account from one client address: <see cref="PerAccountAndAddress"/> (Open WebUI's 15 per 3 minutes per e-mail);</item>
/// <item>one client address over all accounts: <see cref="PerAddress"/> (spraying one password over many accounts);</item>
/// <item>an account over all addresses: <see cref="PerAccount"/> (guessing from many addresses).</item>
/// </list>
/// An attempt refused by the first window takes nothing from the others, so one address alone can never
/// use up an account's allowance for everyone else; only several addresses attacking at once can, and only
/// while they keep at it. The counts live in this process: several Hearth processes on one database each
/// count their own.
/// </summary>
internal sealed class SigninRateLimit : IDisposable
{
    public const int PerAccountAndAddress = 15;
    public const int PerAddress = 60;
    public const int PerAccount = 60;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(3);
    private const int SegmentsPerWindow = 6;
    private static readonly TimeSpan Segment = Window / SegmentsPerWindow;

    private readonly PartitionedRateLimiter<Attempt>[] _windows =
    [
        Limiter(attempt => $"{attempt.Account}@{attempt.Address}", PerAccountAndAddress),
        Limiter(attempt => attempt.Address, PerAddress),
        Limiter(attempt => attempt.Account, PerAccount),
    ];
    private readonly PartitionedRateLimiter<Attempt> _chain;
    private readonly IOptions<AuthOptions> _auth;

    public SigninRateLimit(IOptions<AuthOptions> auth)
    {
        _auth = auth;
        // In order: the chain stops at the first full window, taking nothing from those after it.
        _chain = PartitionedRateLimiter.CreateChained(_windows);
    }

    /// <summary>The sign-in route's filter: answers 429 before the handler (and its hash) runs when a window is full.</summary>
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!_auth.Value.Enabled || context.Arguments.OfType<SigninForm>().FirstOrDefault() is not { } form)
        {
            return await next(context);
        }
        using var lease = _chain.AttemptAcquire(new Attempt(AccountKey(form.Email), AddressKey(context.HttpContext.Connection.RemoteIpAddress)));
        if (lease.IsAcquired)
        {
            return await next(context);
        }
        // A sliding window gives attempts back one segment at a time, so a segment is the earliest worth trying again.
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var hint) ? hint : Segment;
        context.HttpContext.Response.Headers.RetryAfter =
            ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Errors.Status(StatusCodes.Status429TooManyRequests, ErrorMessages.RateLimitExceeded);
    }

    /// <summary>The e-mail as sign-in looks it up, hashed so a huge one is not kept for the whole window.</summary>
    private static string AccountKey(string email) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(SessionIssuer.NormaliseEmail(email))));

    /// <summary>An IPv4 address, or an IPv6 address's /64 (one subscriber's usual share, which they can cycle through freely).</summary>
    private static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? Convert.ToHexString(address.GetAddressBytes(), 0, 8) + "::/64"
            : address.ToString();
    }

    private static PartitionedRateLimiter<Attempt> Limiter(Func<Attempt, string> key, int permits) =>
        PartitionedRateLimiter.Create<Attempt, string>(attempt => RateLimitPartition.GetSlidingWindowLimiter(key(attempt),
            _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = Window,
                SegmentsPerWindow = SegmentsPerWindow,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    public void Dispose()
    {
        // The chain does not own the windows it chains.
        _chain.Dispose();
        foreach (var window in _windows)
        {
            window.Dispose();
        }
    }

    private readonly record struct Attempt(string Account, string Address);
}

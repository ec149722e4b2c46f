using System.Threading.RateLimiting;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CitationService.Server.Security;

/// <summary>
/// One token bucket per client: per configured API key when the call carries a valid one, else per remote
/// address (so a caller cannot get a fresh bucket by sending made-up keys). Idle buckets are dropped by the limiter.
/// </summary>
internal sealed class ClientRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;

    public ClientRateLimiter(IOptions<RateLimitingOptions> options)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.BucketSize,
            TokensPerPeriod = settings.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => bucket));
    }

    /// <summary>Takes one permit for the call's client; false when its bucket is empty.</summary>
    public bool TryAcquire(Caller caller, ServerCallContext context)
    {
        if (_limiter is null)
        {
            return true;
        }
        var client = caller.Check == KeyCheck.Valid
            ? $"key:{caller.KeyIndex}"
            : $"address:{context.GetHttpContext().Connection.RemoteIpAddress}";
        using var lease = _limiter.AttemptAcquire(client);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter?.Dispose();
}

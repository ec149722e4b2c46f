using Microsoft.Extensions.Options;

namespace CitationService.Server.Security;

/// <summary>Per-client request rate limit: a token bucket per API key (or per remote address without one). Off by default.</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Calls each client may make per second, on average. 0 (the default): no limit.</summary>
    public int PermitsPerSecond { get; set; }

    /// <summary>Calls a client may make at once after being idle (the bucket's size). 0: <see cref="PermitsPerSecond"/>.</summary>
    public int Burst { get; set; }

    public bool Enabled => PermitsPerSecond > 0;

    /// <summary>The bucket's size.</summary>
    public int BucketSize => Burst > 0 ? Burst : PermitsPerSecond;
}

/// <summary>Refuses negative rate-limiting settings at start-up.</summary>
internal sealed class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitingOptions options) =>
        options.PermitsPerSecond < 0 ? ValidateOptionsResult.Fail($"{RateLimitingOptions.Section}:{nameof(RateLimitingOptions.PermitsPerSecond)} must be 0 (off) or more.")
        : options.Burst < 0 ? ValidateOptionsResult.Fail($"{RateLimitingOptions.Section}:{nameof(RateLimitingOptions.Burst)} must be 0 (same as PermitsPerSecond) or more.")
        : ValidateOptionsResult.Success;
}

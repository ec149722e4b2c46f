using Microsoft.Extensions.Options;

namespace CitationService.Server.Security;

/// <summary>Who may call which RPC, and the key that signs page tokens.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// Keys accepted in <c>authorization: Bearer &lt;key&gt;</c>. Write RPCs need one; with none configured every
    /// write is refused (start-up still ingests the seed pages, which does not go through gRPC).
    /// </summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>When true, read RPCs need a key too. Health and reflection always stay open.</summary>
    public bool RequireKeyForReads { get; set; }

    /// <summary>
    /// Base64 key (at least 32 bytes) that signs page tokens. Empty: 32 random bytes drawn at start, so tokens
    /// do not outlive the process and are not accepted by another instance.
    /// </summary>
    public string PageTokenKey { get; set; } = "";

    /// <summary>Smallest accepted <see cref="PageTokenKey"/>, in bytes.</summary>
    public const int MinPageTokenKeyBytes = 32;

    /// <summary>The configured page-token key's bytes; null when it is not base64 or too short.</summary>
    internal static byte[]? DecodePageTokenKey(string key)
    {
        var bytes = new byte[key.Length];
        return Convert.TryFromBase64String(key.Trim(), bytes, out var written) && written >= MinPageTokenKeyBytes ? bytes[..written] : null;
    }
}

/// <summary>Refuses bad security options at start-up, naming each configuration key at fault.</summary>
internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var problems = Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static IEnumerable<string> Problems(SecurityOptions options)
    {
        const string Section = SecurityOptions.Section;
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            if (string.IsNullOrWhiteSpace(key) || key.Trim() != key)
            {
                yield return $"{Section}:{nameof(SecurityOptions.ApiKeys)}:{i} must not be empty, whitespace, or start or end with whitespace.";
            }
        }
        if (options.RequireKeyForReads && options.ApiKeys.Count == 0)
        {
            yield return $"{Section}:{nameof(SecurityOptions.RequireKeyForReads)} is true but {Section}:{nameof(SecurityOptions.ApiKeys)} lists no key, so no call could succeed.";
        }
        if (options.PageTokenKey.Length > 0 && SecurityOptions.DecodePageTokenKey(options.PageTokenKey) is null)
        {
            yield return $"{Section}:{nameof(SecurityOptions.PageTokenKey)} must be base64 of at least {SecurityOptions.MinPageTokenKeyBytes} bytes.";
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using CitationService.Contracts;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CitationService.Server.Security;

/// <summary>What a call's <c>authorization</c> header says about its caller.</summary>
internal enum KeyCheck
{
    /// <summary>No <c>authorization</c> header.</summary>
    Missing,

    /// <summary>A header that is not <c>Bearer &lt;key&gt;</c>.</summary>
    Malformed,

    /// <summary>A key no configuration lists.</summary>
    Unknown,

    /// <summary>One of the configured keys.</summary>
    Valid,
}

/// <summary>The caller a call's key identifies: the check's outcome and, for a valid key, its position in the configuration.</summary>
internal readonly record struct Caller(KeyCheck Check, int KeyIndex = -1);

/// <summary>
/// The configured API keys, held only as SHA-256 digests. A presented key is hashed and compared with every
/// digest in constant time, so neither its length nor how much of it matches shows in the response time.
/// </summary>
internal sealed class ApiKeys(IOptions<SecurityOptions> options)
{
    private const string Scheme = ApiKeyCredentials.Scheme + " ";

    private readonly byte[][] _digests = [.. options.Value.ApiKeys.Select(Digest)];

    public bool AnyConfigured => _digests.Length > 0;

    public Caller Identify(Metadata headers)
    {
        var header = headers.GetValue(ApiKeyCredentials.Header);
        if (header is null)
        {
            return new Caller(KeyCheck.Missing);
        }
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            return new Caller(KeyCheck.Malformed);
        }

        var presented = Digest(header[Scheme.Length..].Trim());
        var match = -1;
        // Every digest is compared, whichever matches, so the time taken does not tell which key is valid.
        for (var i = 0; i < _digests.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, _digests[i]))
            {
                match = i;
            }
        }
        return match >= 0 ? new Caller(KeyCheck.Valid, match) : new Caller(KeyCheck.Unknown);
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CitationService.Server.Security;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace CitationService.Server.Grpc;

/// <summary>
/// Opaque AIP-158 page tokens: the keyset position of the last item sent, bound to a fingerprint of the
/// request that issued it (so a token cannot be replayed against another hub or filter) and signed with an
/// HMAC-SHA256 (so a client cannot forge or alter one). The key is <see cref="SecurityOptions.PageTokenKey"/>,
/// or random per process when none is configured.
/// </summary>
public sealed class PageTokens(IOptions<SecurityOptions> options)
{
    private const int MacSize = HMACSHA256.HashSizeInBytes;

    private readonly byte[] _key = SecurityOptions.DecodePageTokenKey(options.Value.PageTokenKey)
        ?? RandomNumberGenerator.GetBytes(SecurityOptions.MinPageTokenKeyBytes);

    private sealed record Payload(string Fingerprint, string Key, int Position);

    public string Encode(string fingerprint, string key, int position)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(fingerprint, key, position));
        return Base64Url.EncodeToString([.. payload, .. HMACSHA256.HashData(_key, payload)]);
    }

    /// <summary>Decodes a token; null for an empty one.</summary>
    /// <exception cref="global::Grpc.Core.RpcException">InvalidArgument when the token is malformed, altered or issued for another request.</exception>
    public (string Key, int Position)? Decode(string token, string fingerprint)
    {
        if (token.Length == 0)
        {
            return null;
        }

        var payload = Verify(token) is { } signed ? Deserialize(signed) : null;
        if (payload is null || payload.Key is null || payload.Fingerprint is null)
        {
            throw RpcErrors.InvalidArgument("page_token", "is not a page token this service issued");
        }
        if (payload.Fingerprint != fingerprint)
        {
            throw RpcErrors.InvalidArgument("page_token", "was issued for a request with other parameters; keep them unchanged while paging");
        }
        return (payload.Key, payload.Position);
    }

    /// <summary>A fingerprint of the request parameters a token is bound to.</summary>
    public static string Fingerprint(string scope, IMessage? parameters)
    {
        var bytes = Encoding.UTF8.GetBytes(scope).Concat(parameters?.ToByteArray() ?? []).ToArray();
        return Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8));
    }

    /// <summary>The signed payload of a token, or null when the token is not exactly one this key signed.</summary>
    private byte[]? Verify(string token)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return null;
        }
        // The decoder skips whitespace and accepts padding; only the one canonical spelling of the signed bytes
        // is accepted, so no character can be added to a token unnoticed.
        if (bytes.Length <= MacSize || Base64Url.EncodeToString(bytes) != token)
        {
            return null;
        }
        var payload = bytes[..^MacSize];
        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, payload), bytes.AsSpan(^MacSize)) ? payload : null;
    }

    private static Payload? Deserialize(byte[] payload)
    {
        try
        {
            return JsonSerializer.Deserialize<Payload>(payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Protobuf;

namespace CitationService.Server.Grpc;

/// <summary>
/// Opaque AIP-158 page tokens: the keyset position of the last item sent, bound to a fingerprint of the
/// request that issued it, so a token cannot be replayed against another hub or filter.
/// </summary>
internal static class PageToken
{
    private sealed record Payload(string Fingerprint, string Key, int Position);

    public static string Encode(string fingerprint, string key, int position) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Payload(fingerprint, key, position)));

    /// <summary>Decodes a token; null for an empty one.</summary>
    /// <exception cref="global::Grpc.Core.RpcException">InvalidArgument when the token is malformed or issued for another request.</exception>
    public static (string Key, int Position)? Decode(string token, string fingerprint)
    {
        if (token.Length == 0)
        {
            return null;
        }

        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(Base64Url.DecodeFromChars(token));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            payload = null;
        }

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
}

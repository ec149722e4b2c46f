using Grpc.Core;

namespace CitationService.Contracts;

/// <summary>How a client sends its API key: gRPC metadata <c>authorization: Bearer &lt;key&gt;</c> on every call.</summary>
public static class ApiKeyCredentials
{
    public const string Header = "authorization";
    public const string Scheme = "Bearer";

    /// <summary>
    /// Call credentials that add the key to every call. Over cleartext HTTP/2 the channel must also set
    /// <c>UnsafeUseInsecureChannelCallCredentials</c>, since the key then crosses the network in the clear.
    /// </summary>
    public static CallCredentials Create(string apiKey) =>
        CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add(Header, $"{Scheme} {apiKey}");
            return Task.CompletedTask;
        });
}

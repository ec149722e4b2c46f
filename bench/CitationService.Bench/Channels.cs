using CitationService.Contracts;
using Grpc.Core;
using Grpc.Net.Client;

namespace CitationService.Bench;

/// <summary>gRPC channels to the server under test.</summary>
public static class Channels
{
    /// <summary>The server's receive limit; the large ingest page must fit under it.</summary>
    public const int MaxMessageSize = 16 * 1024 * 1024;

    /// <summary>
    /// One channel = one HTTP/2 connection: each channel gets its own SocketsHttpHandler (its own pool), so
    /// N channels spread calls over N connections as separate clients would.
    /// </summary>
    public static GrpcChannel Create(Uri address, string apiKey) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            // Every call carries the server's key (IngestHubPage needs it); the bench talks h2c over loopback only.
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, ApiKeyCredentials.Create(apiKey)),
            UnsafeUseInsecureChannelCallCredentials = true,
            HttpHandler = new SocketsHttpHandler
            {
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                EnableMultipleHttp2Connections = false,
            },
            MaxSendMessageSize = MaxMessageSize,
            MaxReceiveMessageSize = MaxMessageSize,
        });

    public static List<GrpcChannel> CreateMany(Uri address, string apiKey, int count) =>
        Enumerable.Range(0, count).Select(_ => Create(address, apiKey)).ToList();
}

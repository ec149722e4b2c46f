using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace CitationService.Server.Grpc;

/// <summary>Caps on the streams served at once; a stream holds a database connection or a classification queue while it runs.</summary>
public sealed class StreamLimitOptions
{
    public const string Section = "Streaming";

    /// <summary>Streams served at once over all connections.</summary>
    public int MaxConcurrentStreams { get; set; } = 64;

    /// <summary>Streams served at once on one HTTP/2 connection, so one client cannot take them all.</summary>
    public int MaxConcurrentStreamsPerConnection { get; set; } = 16;
}

/// <summary>
/// Refuses a streaming call with RESOURCE_EXHAUSTED while the service, or the caller's connection, already
/// serves its cap of streams; a stream's place is given back however it ends (done, failed, cancelled).
/// </summary>
public sealed class StreamLimitInterceptor(IOptions<StreamLimitOptions> options) : Interceptor
{
    private readonly StreamLimitOptions _limits = options.Value;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _byConnection = new(StringComparer.Ordinal);
    private int _total;

    /// <summary>Streams being served now.</summary>
    public int ActiveStreams => Volatile.Read(ref _total);

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var connection = Enter(context);
        try
        {
            await continuation(request, responseStream, context);
        }
        finally
        {
            Leave(connection);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var connection = Enter(context);
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        finally
        {
            Leave(connection);
        }
    }

    private string Enter(ServerCallContext context)
    {
        // An in-memory test server has no connections: its calls count as one.
        var connection = context.GetHttpContext().Connection.Id ?? "";
        lock (_gate)
        {
            if (_total >= _limits.MaxConcurrentStreams)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"the service is serving its limit of {_limits.MaxConcurrentStreams} streams; retry when one ends"));
            }
            var onConnection = _byConnection.GetValueOrDefault(connection);
            if (onConnection >= _limits.MaxConcurrentStreamsPerConnection)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"this connection has its limit of {_limits.MaxConcurrentStreamsPerConnection} open streams; retry when one ends"));
            }
            _byConnection[connection] = onConnection + 1;
            _total++;
        }
        return connection;
    }

    private void Leave(string connection)
    {
        lock (_gate)
        {
            var onConnection = _byConnection[connection] - 1;
            if (onConnection == 0)
            {
                _byConnection.Remove(connection);
            }
            else
            {
                _byConnection[connection] = onConnection;
            }
            _total--;
        }
    }
}

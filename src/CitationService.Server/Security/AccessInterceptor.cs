using CitationService.Contracts;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace CitationService.Server.Security;

/// <summary>
/// Admits or refuses every call before its handler runs: health and reflection pass; any other call takes a
/// permit from its client's rate limit, then writes (and reads, when so configured) need a configured API key.
/// Keys are never logged.
/// </summary>
internal sealed partial class AccessInterceptor(
    ApiKeys keys,
    ClientRateLimiter rateLimiter,
    IOptions<SecurityOptions> options,
    ILogger<AccessInterceptor> logger) : Interceptor
{
    private const string Header = ApiKeyCredentials.Header;

    private readonly bool _requireKeyForReads = options.Value.RequireKeyForReads;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(requestStream, responseStream, context);
    }

    /// <exception cref="RpcException">ResourceExhausted, Unauthenticated or PermissionDenied.</exception>
    private void Admit(ServerCallContext context)
    {
        var kind = RpcAccess.Of(context.Method);
        if (kind == RpcKind.Infrastructure)
        {
            return;
        }

        var caller = keys.Identify(context.RequestHeaders);
        var refusal = !rateLimiter.TryAcquire(caller, context)
            ? new Status(StatusCode.ResourceExhausted, "rate limit: too many calls from this client; slow down and retry")
            : kind == RpcKind.Write || _requireKeyForReads ? Authorize(caller) : Status.DefaultSuccess;
        if (refusal.StatusCode != StatusCode.OK)
        {
            LogRefused(context.Method, context.Peer, refusal.StatusCode, caller.Check);
            throw new RpcException(refusal);
        }
    }

    private Status Authorize(Caller caller) => caller.Check switch
    {
        _ when !keys.AnyConfigured => new Status(StatusCode.Unauthenticated,
            $"{Header}: no API key is configured on the server, so this RPC is refused to everyone (configure {SecurityOptions.Section}:{nameof(SecurityOptions.ApiKeys)})"),
        KeyCheck.Missing => new Status(StatusCode.Unauthenticated, $"{Header}: this RPC needs an API key; send '{Header}: Bearer <key>'"),
        KeyCheck.Malformed => new Status(StatusCode.Unauthenticated, $"{Header}: expected 'Bearer <key>'"),
        KeyCheck.Unknown => new Status(StatusCode.PermissionDenied, $"{Header}: the API key is not accepted"),
        _ => Status.DefaultSuccess,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} from {Peer}: {StatusCode} (key {KeyCheck})")]
    private partial void LogRefused(string method, string peer, StatusCode statusCode, KeyCheck keyCheck);
}

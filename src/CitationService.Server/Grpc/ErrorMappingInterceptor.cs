using System.Security.Cryptography;
using CitationService.Storage;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CitationService.Server.Grpc;

/// <summary>
/// Maps what escapes a handler to a status and logs it in one line: an <see cref="RpcException"/> passes
/// through; a cancelled call is CANCELLED (DEADLINE_EXCEEDED when its deadline passed); a busy or
/// unavailable store is UNAVAILABLE; anything else is a bug, INTERNAL with a short error id that the log
/// line (the only one with a stack trace) carries too, and no internal detail in the message.
/// </summary>
internal sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e)
        {
            throw Map(e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e)
        {
            throw Map(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e)
        {
            throw Map(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e)
        {
            throw Map(e, context);
        }
    }

    private RpcException Map(Exception exception, ServerCallContext context)
    {
        switch (exception)
        {
            case RequestParseException parse:
                // Logged where the message was parsed, which for unary calls is before any interceptor runs.
                return parse;
            case RpcException rpc:
                ServerLog.CallRejected(logger, context.Method, rpc.StatusCode, rpc.Status.Detail);
                return rpc;
            case var _ when context.CancellationToken.IsCancellationRequested:
                // The caller no longer waits for a status: whatever the handler threw on its way out is not its fault.
                var code = context.Deadline <= DateTime.UtcNow ? StatusCode.DeadlineExceeded : StatusCode.Cancelled;
                ServerLog.CallStopped(logger, context.Method, code, exception.GetType().Name);
                return new RpcException(new Status(code, code == StatusCode.Cancelled ? "The call was cancelled." : "The deadline passed."));
            case var _ when StoreErrors.IsUnavailable(exception):
                ServerLog.StoreUnavailable(logger, context.Method, exception.GetType().Name, exception.Message);
                return new RpcException(new Status(StatusCode.Unavailable, "The store is busy or unavailable; retry with backoff."));
            default:
                var errorId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
                ServerLog.CallFailed(logger, exception, context.Method, errorId);
                return new RpcException(new Status(StatusCode.Internal, $"Internal error {errorId}; the service's log has its details under this id."));
        }
    }
}

using Grpc.Core;

namespace CitationService.Server.Grpc;

/// <summary>The log lines of failed calls: one per failure, and a stack trace only for INTERNAL.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, EventName = "CallRejected", Level = LogLevel.Information,
        Message = "{Method} failed with {StatusCode}: {Detail}")]
    public static partial void CallRejected(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(EventId = 2, EventName = "CallStopped", Level = LogLevel.Information,
        Message = "{Method} stopped with {StatusCode}: the caller cancelled or its deadline passed ({ExceptionType})")]
    public static partial void CallStopped(ILogger logger, string method, StatusCode statusCode, string exceptionType);

    [LoggerMessage(EventId = 3, EventName = "StoreUnavailable", Level = LogLevel.Warning,
        Message = "{Method} failed with Unavailable: the store is busy or unavailable ({ExceptionType}: {Reason})")]
    public static partial void StoreUnavailable(ILogger logger, string method, string exceptionType, string reason);

    [LoggerMessage(EventId = 4, EventName = "CallFailed", Level = LogLevel.Error,
        Message = "{Method} failed with Internal, error id {ErrorId}")]
    public static partial void CallFailed(ILogger logger, Exception exception, string method, string errorId);

    [LoggerMessage(EventId = 5, EventName = "RequestNotParsed", Level = LogLevel.Information,
        Message = "{Method} failed with Internal: the request message could not be parsed ({Reason})")]
    public static partial void RequestNotParsed(ILogger logger, string method, string reason);
}

using System.Reflection;
using System.Text;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace CitationService.Server.Grpc;

/// <summary>
/// Binds every gRPC service as grpc-dotnet's own binder does (through the generated <c>BindService</c>),
/// with each method's request marshaller wrapped: a request that does not parse fails with INTERNAL
/// "Error parsing request message: …" and one log line without a stack trace. Interceptors cannot do this:
/// grpc-dotnet parses a unary or server-streaming request before they run, and reports a parse failure as
/// UNKNOWN "Exception was thrown by handler." with the exception's stack trace logged.
/// </summary>
internal sealed class RequestParsingMethodProvider<TService>(ILogger<ErrorMappingInterceptor> logger) : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } bind)
            {
                var bindService = bind.BindType.GetMethod(bind.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type])
                    ?? throw new InvalidOperationException($"{bind.BindType} has no {bind.BindMethodName}(ServiceBinderBase, {type.Name}).");
                bindService.Invoke(null, [new Binder(context, logger), null]);
                return;
            }
        }
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, ILogger logger) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(Wrap(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<ClientStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(Wrap(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<ServerStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(Wrap(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(Wrap(method), metadata, invoker);
        }

        /// <summary>An open delegate to the service's override of <paramref name="name"/>, and the endpoint metadata grpc-dotnet gives it.</summary>
        private static (TDelegate Invoker, List<object> Metadata) Bind<TDelegate>(string name, params Type[] parameters)
            where TDelegate : Delegate
        {
            var handler = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService)} has no method {name}.");
            List<object> metadata =
            [
                .. typeof(TService).GetCustomAttributes(inherit: true),
                .. handler.GetCustomAttributes(inherit: true),
                new HttpMethodMetadata(["POST"], acceptCorsPreflight: true),
            ];
            return (handler.CreateDelegate<TDelegate>(), metadata);
        }

        private Method<TRequest, TResponse> Wrap<TRequest, TResponse>(Method<TRequest, TResponse> method)
        {
            var deserialize = method.RequestMarshaller.ContextualDeserializer;
            var requestMarshaller = Marshallers.Create(method.RequestMarshaller.ContextualSerializer, context =>
            {
                try
                {
                    return deserialize(context);
                }
                catch (Exception e) when (e is InvalidProtocolBufferException or DecoderFallbackException)
                {
                    // gRPC's status-code guide (doc/statuscodes.md) lists "Error parsing request proto" as INTERNAL,
                    // generated by the server library, and says the library never generates INVALID_ARGUMENT: that
                    // code is the application's, for a request that parses but whose fields are wrong. Bytes that
                    // are not a message of the method's type never reach the application.
                    var reason = e is DecoderFallbackException ? "a string field is not valid UTF-8" : e.Message;
                    ServerLog.RequestNotParsed(logger, method.FullName, reason);
                    throw new RequestParseException(new Status(StatusCode.Internal, $"Error parsing request message: {reason}"));
                }
            });
            return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requestMarshaller, method.ResponseMarshaller);
        }
    }
}

/// <summary>A request message that did not parse; logged where it was parsed.</summary>
internal sealed class RequestParseException(Status status) : RpcException(status);

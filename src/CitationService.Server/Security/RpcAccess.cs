using CitationService.Contracts.V1;

namespace CitationService.Server.Security;

/// <summary>What an RPC does, which decides who may call it.</summary>
internal enum RpcKind
{
    /// <summary>Health and reflection: always open, never rate limited.</summary>
    Infrastructure,

    /// <summary>Looks at stored state or classifies text: open unless <see cref="SecurityOptions.RequireKeyForReads"/>.</summary>
    Read,

    /// <summary>Changes stored state: always needs a key.</summary>
    Write,
}

/// <summary>The one place that says which RPCs write.</summary>
internal static class RpcAccess
{
    private const string ServicePrefix = "/citations.v1.";

    // gRPC method paths, "/package.Service/Method". A new write RPC is one more line here.
    private static readonly HashSet<string> Writes = new(StringComparer.Ordinal)
    {
        $"/{IngestionService.Descriptor.FullName}/{nameof(IngestionService.IngestionServiceBase.IngestHubPage)}",
    };

    public static RpcKind Of(string method) =>
        Writes.Contains(method) ? RpcKind.Write
        : method.StartsWith(ServicePrefix, StringComparison.Ordinal) ? RpcKind.Read
        : RpcKind.Infrastructure;
}

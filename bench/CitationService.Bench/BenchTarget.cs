using Grpc.Net.Client;

namespace CitationService.Bench;

/// <summary>
/// A server under test: the engine of its store ("SQLite" or "PostgreSQL", as the report names it), its process,
/// the bench's channels to it, and the CPU time of a database server outside the server process (PostgreSQL's;
/// null when the store runs inside it or that server is not visible here).
/// </summary>
public sealed record BenchTarget(string Engine, ServerProcess Server, IReadOnlyList<GrpcChannel> Channels, Func<TimeSpan>? DatabaseCpu = null);

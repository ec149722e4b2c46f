namespace CitationService.Bench;

/// <summary>Counts for one run. Every phase is bounded by a count; <see cref="Deadline"/> bounds the whole run.</summary>
public sealed record BenchOptions
{
    public bool Quick { get; init; }
    public int Starts { get; init; } = 3;
    public int Channels { get; init; } = 4;
    public int InFlightPerChannel { get; init; } = 8;
    public int UnaryCalls { get; init; } = 20_000;
    public TimeSpan UnaryLimit { get; init; } = TimeSpan.FromSeconds(8);
    // Warm-up calls run first with the same concurrency and are not measured, so JIT and connection set-up
    // on both sides stay out of the figures.
    public int UnaryWarmupCalls { get; init; } = 2_000;
    public TimeSpan UnaryWarmupLimit { get; init; } = TimeSpan.FromSeconds(2);
    public int BulkTexts { get; init; } = 20_000;
    public TimeSpan BulkLimit { get; init; } = TimeSpan.FromSeconds(10);
    public int BigHubPapers { get; init; } = 100_000;
    // The performance issue's stream target is set on a 10^6-paper hub: ingested as pages of titles only, each at
    // most the 200,000 papers an IngestHubPage page may list.
    public int MillionHubPapers { get; init; } = 1_000_000;
    public int MillionHubPagePapers { get; init; } = 200_000;
    public int ConcurrentStreams { get; init; } = 4;
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(10);
    public string? ServerAssembly { get; init; }
    public bool KeepRequestLogs { get; init; }

    /// <summary>Also runs the store-bound measurements on a second server whose store is PostgreSQL (section 6).</summary>
    public bool Postgres { get; init; }

    /// <summary>
    /// With <see cref="Postgres"/>: the server on which the bench creates (and at the end drops) a database of its
    /// own; null starts a throwaway PostgreSQL 15 cluster as the tests do.
    /// </summary>
    public string? PostgresConnectionString { get; init; }

    // Section 6 measures every store-bound call twice more (once per engine): the run's limit grows with it.
    private static readonly TimeSpan PostgresExtraTime = TimeSpan.FromMinutes(8);

    public static BenchOptions QuickRun => new()
    {
        Quick = true,
        Starts = 2,
        UnaryCalls = 2_000,
        UnaryLimit = TimeSpan.FromSeconds(3),
        UnaryWarmupCalls = 300,
        UnaryWarmupLimit = TimeSpan.FromSeconds(1),
        BulkTexts = 2_000,
        BulkLimit = TimeSpan.FromSeconds(3),
        BigHubPapers = 10_000,
        MillionHubPapers = 20_000,
        MillionHubPagePapers = 4_000,
        Deadline = TimeSpan.FromMinutes(2),
    };

    public const string Usage = """
        CitationService benchmark: starts the real server (dotnet CitationService.Server.dll) on a free
        127.0.0.1 port with a temporary database, measures it over gRPC, prints a table, stops it.

        dotnet run -c Release --project bench/CitationService.Bench [-- options]
          --quick                 small counts, a smoke run (well under a minute)
          --channels <n>          unary load: connections (default 4)
          --in-flight <n>         unary load: calls in flight per connection (default 8)
          --server-dll <path>     start this CitationService.Server.dll instead of the one built with the bench
          --keep-request-logs     leave ASP.NET's per-request Information logs on in the server (off by default)
          --postgres [<conn>]     also run a server on PostgreSQL and compare the store-bound calls with SQLite's
                                  (section 6). Bare: a throwaway PostgreSQL 15 cluster, started as the tests do.
                                  With an Npgsql connection string: a new database on that server, created for
                                  the run and dropped after it (the user needs CREATEDB; the string's database,
                                  default postgres, is only connected to for CREATE and DROP DATABASE).
          --help                  this text
        """;

    /// <summary>Parses the command line; null when the run should stop (help shown or bad argument).</summary>
    public static BenchOptions? Parse(string[] args, TextWriter error)
    {
        var options = args.Contains("--quick") ? QuickRun : new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    break;
                case "--keep-request-logs":
                    options = options with { KeepRequestLogs = true };
                    break;
                case "--channels" when i + 1 < args.Length && int.TryParse(args[i + 1], out var channels) && channels > 0:
                    options = options with { Channels = channels };
                    i++;
                    break;
                case "--in-flight" when i + 1 < args.Length && int.TryParse(args[i + 1], out var inFlight) && inFlight > 0:
                    options = options with { InFlightPerChannel = inFlight };
                    i++;
                    break;
                case "--postgres":
                    // The connection string is optional: the next argument is one unless it is another option.
                    var given = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
                    options = options with { Postgres = true, PostgresConnectionString = given, Deadline = options.Postgres ? options.Deadline : options.Deadline + PostgresExtraTime };
                    break;
                case "--server-dll" when i + 1 < args.Length:
                    options = options with { ServerAssembly = Path.GetFullPath(args[++i]) };
                    break;
                case "--help" or "-h":
                    error.WriteLine(Usage);
                    return null;
                default:
                    error.WriteLine($"unknown argument '{args[i]}'");
                    error.WriteLine(Usage);
                    return null;
            }
        }
        return options;
    }
}

using System.CommandLine;
using CitationService.Contracts;
using CitationService.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace CitationService.Cli.Ingest;

/// <summary>
/// <c>citations ingest [--server URL] [--api-key KEY] [--url URL] [--timeout SECONDS] FILE|DIR...</c>: sends hub pages
/// to a running service (<c>IngestionService/IngestHubPage</c>) and prints what each one stored.
/// </summary>
public static class IngestCommand
{
    /// <summary>Every page was stored.</summary>
    public const int ExitStored = 0;

    /// <summary>The command line is wrong (including no API key); nothing was sent.</summary>
    public const int ExitUsage = 1;

    /// <summary>The server refused a page or did not answer in time; the other pages were sent.</summary>
    public const int ExitNotStored = 2;

    /// <summary>A path does not exist (nothing was sent) or a file could not be read (the others were sent).</summary>
    public const int ExitUnreadable = 3;

    /// <summary>The run stopped: the server could not be reached, refused the API key, or the run was interrupted.</summary>
    public const int ExitStopped = 4;

    /// <summary>Where the key comes from when <c>--api-key</c> is not given.</summary>
    public const string ApiKeyVariable = "CITATIONS_API_KEY";

    /// <summary>Longest a connection attempt may take, so that a server that does not answer stops the run soon.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The command; <paramref name="environment"/> reads environment variables (default: the process's).</summary>
    public static Command Create(Func<string, string?>? environment = null)
    {
        var readVariable = environment ?? Environment.GetEnvironmentVariable;
        var pathsArgument = new Argument<string[]>("FILE|DIR")
        {
            Description = "Page files, or folders whose *.txt and *.json files (recursively, in ordinal order of their paths) are sent.",
            Arity = ArgumentArity.OneOrMore,
        };
        var serverOption = new Option<string>("--server")
        {
            Description = "Address of the running service (http:// for cleartext HTTP/2, https:// for TLS).",
            DefaultValueFactory = _ => "http://localhost:5000",
        };
        var apiKeyOption = new Option<string?>("--api-key") { Description = $"API key the server lists in Security:ApiKeys (default: ${ApiKeyVariable})." };
        var urlOption = new Option<string?>("--url")
        {
            Description = "Source URL of the page (one FILE only). Otherwise: a stored copy's own 'url:' header, else the "
                + $"{PageFiles.SourcesFile} in the file's folder ('file<TAB>url' lines), else none.",
        };
        var timeoutOption = new Option<double>("--timeout")
        {
            Description = "Seconds each call may take (its gRPC deadline).",
            DefaultValueFactory = _ => 60,
        };

        var command = new Command("ingest",
            "Send hub pages to a running service (IngestionService/IngestHubPage) and print a table of what each one stored.\n"
            + $"Exit codes: {ExitStored} every page stored; {ExitUsage} wrong arguments or no API key, nothing sent; "
            + $"{ExitNotStored} the server refused a page or did not answer in time (the others were sent); "
            + $"{ExitUnreadable} a path missing (nothing sent) or a file unreadable; "
            + $"{ExitStopped} stopped: the server could not be reached or refused the API key, or interrupted.")
        {
            pathsArgument, serverOption, apiKeyOption, urlOption, timeoutOption,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(urlOption) is not null && result.GetValue(pathsArgument) is { Length: not 1 } paths)
            {
                result.AddError($"--url is the source of one page: give exactly one FILE, not {paths.Length} paths.");
            }
        });
        timeoutOption.Validators.Add(result =>
        {
            if (!(result.GetValueOrDefault<double>() > 0))
            {
                result.AddError("--timeout must be a number of seconds above 0.");
            }
        });
        serverOption.Validators.Add(result =>
        {
            if (ServerAddress(result.GetValueOrDefault<string>()) is null)
            {
                result.AddError("--server must be an absolute http:// or https:// address, e.g. http://localhost:5000.");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var apiKey = parse.GetValue(apiKeyOption) is { Length: > 0 } given ? given : readVariable(ApiKeyVariable);
            if (string.IsNullOrWhiteSpace(apiKey))
            {
                error.WriteLine($"no API key: give --api-key KEY or set {ApiKeyVariable}. Ingesting is a write, and the server refuses "
                    + "writes without a key it lists in Security:ApiKeys. Nothing sent.");
                return ExitUsage;
            }
            var paths = parse.GetValue(pathsArgument)!;
            var url = parse.GetValue(urlOption);
            if (url is not null && Directory.Exists(paths[0]))
            {
                error.WriteLine($"--url is the source of one page: {paths[0]} is a folder. Nothing sent.");
                return ExitUsage;
            }
            var (files, problems) = PageFiles.Resolve(paths, url);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    error.WriteLine(problem);
                }
                error.WriteLine("Nothing sent.");
                return ExitUnreadable;
            }

            var server = ServerAddress(parse.GetValue(serverOption))!;
            var timeout = TimeSpan.FromSeconds(parse.GetValue(timeoutOption));
            using var channel = CreateChannel(server, apiKey);
            var run = new IngestRun(new IngestionService.IngestionServiceClient(channel), new HubService.HubServiceClient(channel), server, timeout, output, error);
            return await run.RunAsync(files, cancellationToken);
        });
        return command;
    }

    private static GrpcChannel CreateChannel(Uri server, string apiKey)
    {
        var cleartext = server.Scheme == Uri.UriSchemeHttp;
        return GrpcChannel.ForAddress(server, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(cleartext ? ChannelCredentials.Insecure : ChannelCredentials.SecureSsl, ApiKeyCredentials.Create(apiKey)),
            // Over http:// the key crosses the network in the clear, as the README's Security section says.
            UnsafeUseInsecureChannelCallCredentials = cleartext,
            HttpHandler = new SocketsHttpHandler
            {
                // The call's deadline bounds a connection attempt too; this only ends one sooner.
                ConnectTimeout = ConnectTimeout,
                EnableMultipleHttp2Connections = true,
            },
        });
    }

    /// <summary>The address when it is an absolute http(s) URL, else null.</summary>
    private static Uri? ServerAddress(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
}

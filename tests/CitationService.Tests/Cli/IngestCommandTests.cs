using CitationService.Core.Model;
using System.Collections.Concurrent;
using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CitationService.Cli.Ingest;
using CitationService.Contracts.V1;
using CitationService.Tests.Server;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CitationService.Tests.Cli;

/// <summary>
/// <c>citations ingest</c> run in-process, as its command line would, against a real service on Kestrel over loopback
/// TCP (HTTP/2), each test on a service and database of its own.
/// </summary>
public sealed class IngestCommandTests() : FreshServerTests(TestEngine.Sqlite), IDisposable
{
    private readonly TempFolder _pages = new();

    /// <summary>Every IngestHubPage request the service received, as it received it.</summary>
    private readonly ConcurrentQueue<IngestHubPageRequest> _received = new();

    protected override bool Loopback => true;

    private protected override void Configure(IWebHostBuilder web) =>
        web.ConfigureTestServices(services =>
            services.Configure<GrpcServiceOptions>(options => options.Interceptors.Add<RecordingInterceptor>(_received)));

    [Fact]
    public async Task Ingest_stores_every_seed_page_with_its_sources_tsv_url_when_given_the_seeds_folder()
    {
        var listed = File.ReadLines(Path.Combine(RepositoryPaths.Seeds, "sources.tsv"))
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .ToDictionary(fields => fields[0], fields => fields[1]);
        // The text pages, and the stored JSON responses in seeds/json/ (each with its own url: header): one hub each.
        var pages = Directory.GetFiles(RepositoryPaths.Seeds, "*.txt", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryPaths.Seeds, path)).ToList();

        var (exit, output, error) = await IngestAsync(RepositoryPaths.Seeds);

        Assert.True(exit == IngestCommand.ExitStored, error);
        Assert.Equal(7, pages.Count);
        Assert.Equal(pages.Count, (await Hubs.ListHubsAsync(new ListHubsRequest { PageSize = 100 })).Hubs.Count);
        Assert.Equal(3, listed.Count);
        foreach (var page in pages.Where(page => !page.StartsWith("json", StringComparison.Ordinal)))
        {
            var hub = (await Hubs.GetHubAsync(new GetHubRequest { HubId = HubIdInTable(output, page) })).Hub;
            // A Pith address is stored in its one spelling (https://pith.science/citations/<uuid>).
            var expected = listed.TryGetValue(page, out var url) ? PithAddress.TryParse(url)!.CanonicalUrl : "";
            Assert.Equal(expected, hub.SourceUrl);
            Assert.True(hub.StoredCitingCount > 0, page);
        }
        Assert.Contains($"{pages.Count} files: {pages.Count} stored (hubs: {pages.Count} created", output);
    }

    [Fact]
    public async Task Ingest_sends_a_stored_copys_document_without_its_header_and_with_its_url()
    {
        const string url = "https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1";
        var page = SeedPages.Text(SeedPages.Pythia);
        var copy = Write("pythia.txt", $"url: {url}\n-----chunk-----\n{page}");
        // The copy's own header names the page's source, whatever the folder lists.
        Write("sources.tsv", "pythia.txt\thttps://pith.science/citations/listed-elsewhere\n");

        var (exit, output, error) = await IngestAsync(copy);

        Assert.True(exit == IngestCommand.ExitStored, error);
        // The parser would read past the header lines, so only the request itself shows they were left out.
        var sent = Assert.Single(_received);
        Assert.Equal(page, sent.PageText);
        Assert.Equal(url, sent.SourceUrl);
        Assert.Equal(url, (await Hubs.GetHubAsync(new GetHubRequest { HubId = HubIdInTable(output, "pythia.txt") })).Hub.SourceUrl);
    }

    [Fact]
    public async Task Ingest_exits_2_naming_the_file_and_the_servers_message_and_stores_the_other_pages_when_a_page_is_refused()
    {
        Write("a.txt", SeedPages.Text(SeedPages.Npo));
        Write("b.txt", "Notes from a meeting.\nNothing here is a hub page.\n");
        Write("c.txt", SeedPages.Text(SeedPages.ToEach));

        var (exit, _, error) = await IngestAsync(_pages.Path);

        Assert.Equal(IngestCommand.ExitNotStored, exit);
        Assert.Contains($"{Path.Join(_pages.Path, "b.txt")}: refused (INVALID_ARGUMENT): page_text: not a hub page", error);
        Assert.Equal(2, (await Hubs.ListHubsAsync(new ListHubsRequest())).Hubs.Count);
    }

    [Fact]
    public async Task Ingest_exits_1_with_a_message_and_sends_nothing_when_no_api_key_is_given()
    {
        var page = Write("a.txt", SeedPages.Text(SeedPages.Npo));

        var (exit, _, error) = await RunAsync(["--server", Host.Address.ToString(), page]);

        Assert.Equal(IngestCommand.ExitUsage, exit);
        Assert.Contains("no API key: give --api-key KEY or set CITATIONS_API_KEY", error);
        Assert.Empty((await Hubs.ListHubsAsync(new ListHubsRequest())).Hubs);
    }

    [Fact]
    public async Task Ingest_sends_the_key_in_CITATIONS_API_KEY_when_no_option_gives_one()
    {
        var page = Write("a.txt", SeedPages.Text(SeedPages.Npo));

        var (exit, _, error) = await RunAsync(["--server", Host.Address.ToString(), page],
            name => name == IngestCommand.ApiKeyVariable ? ServerHost.ApiKey : null);

        Assert.True(exit == IngestCommand.ExitStored, error);
        Assert.Single((await Hubs.ListHubsAsync(new ListHubsRequest())).Hubs);
    }

    [Fact]
    public async Task Ingest_stops_at_the_first_page_with_exit_4_when_the_server_does_not_accept_the_key()
    {
        Write("a.txt", SeedPages.Text(SeedPages.Npo));
        Write("b.txt", SeedPages.Text(SeedPages.ToEach));

        var (exit, _, error) = await RunAsync(["--server", Host.Address.ToString(), "--api-key", "not-" + ServerHost.ApiKey, _pages.Path]);

        Assert.Equal(IngestCommand.ExitStopped, exit);
        Assert.Contains("does not accept this API key (PERMISSION_DENIED)", error);
        Assert.Contains($"stopped at {Path.Join(_pages.Path, "a.txt")}: 0 of 2 files sent", error);
    }

    [Fact]
    public async Task Ingest_exits_2_and_goes_on_when_a_page_gets_no_reply_within_the_timeout()
    {
        var big = new StringBuilder("A Very Widely Cited Hub\n20000 Pith papers cite this work.\nciting papers explorer\n");
        for (var i = 0; i < 20_000; i++)
        {
            big.Append("- Citing paper number ").Append(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }
        Write("a-big.txt", big.ToString());
        Write("b-small.txt", "A Small Hub\n1 Pith paper cite this work.\nciting papers explorer\n- Paper One\n");

        var (exit, output, error) = await IngestAsync("--timeout", "0.1", _pages.Path);

        Assert.Equal(IngestCommand.ExitNotStored, exit);
        Assert.Contains($"{Path.Join(_pages.Path, "a-big.txt")}: no reply within 0.1 s (--timeout)", error);
        // The next page was sent too (whether it made its own deadline on a busy machine is beside the point).
        Assert.Contains("b-small.txt", output);
        Assert.DoesNotContain("not sent", output);
    }

    [Fact]
    public async Task Ingest_reports_progress_on_stderr_and_a_row_per_file_when_sending_more_than_five_files()
    {
        for (var i = 1; i <= 6; i++)
        {
            Write($"hub{i}.txt", $"Hub Number {i}\n2 Pith papers cite this work.\nciting papers explorer\n-\nPaper One\nIt does one thing.\n- Paper Two\n");
        }

        var (exit, output, error) = await IngestAsync(_pages.Path);

        Assert.True(exit == IngestCommand.ExitStored, error);
        Assert.Matches(@"ingest: 6/6 files, 6 stored, 0 not, [0-9.]+ s", error);
        for (var i = 1; i <= 6; i++)
        {
            Assert.Matches($@"hub{i}\.txt +hub_\w+ +Hub Number {i} +created +2 +0 +0 +1 +0", output);
        }
        Assert.Matches(@"total +12 +0 +0 +6 +0", output);
    }

    /// <summary>The hub id the table gives for the file whose name ends with <paramref name="fileName"/>.</summary>
    private static string HubIdInTable(string output, string fileName)
    {
        var row = output.Split('\n').Single(line => line.Split("  ")[0].EndsWith(fileName, StringComparison.Ordinal));
        return row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_pages.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    private Task<(int Exit, string Output, string Error)> IngestAsync(params string[] args) =>
        RunAsync(["--server", Host.Address.ToString(), "--api-key", ServerHost.ApiKey, .. args]);

    /// <summary>Runs <c>citations ingest ARGS</c>; no environment variable is set unless <paramref name="environment"/> gives it.</summary>
    internal static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args, Func<string, string?>? environment = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand { IngestCommand.Create(environment ?? (_ => null)) };
        var exit = await root.Parse(["ingest", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>A loopback address nothing listens on.</summary>
    internal static string ClosedAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    public void Dispose() => _pages.Dispose();

    private sealed class RecordingInterceptor(ConcurrentQueue<IngestHubPageRequest> received) : Interceptor
    {
        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
            TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            if (request is IngestHubPageRequest page)
            {
                received.Enqueue(page);
            }
            return continuation(request, context);
        }
    }
}

/// <summary><c>citations ingest</c>'s refusals that need no service: a closed address shows whether anything was sent.</summary>
public sealed class IngestCommandWithoutServerTests : IDisposable
{
    private readonly TempFolder _pages = new();

    [Fact]
    public async Task Ingest_exits_4_with_a_message_and_no_stack_trace_when_the_server_cannot_be_reached()
    {
        var page = Write("a.txt");

        var (exit, output, error) = await IngestCommandTests.RunAsync(["--server", IngestCommandTests.ClosedAddress(), "--api-key", "k", page]);

        Assert.Equal(IngestCommand.ExitStopped, exit);
        Assert.Contains("cannot reach the server at http://127.0.0.1:", error);
        Assert.Contains($"stopped at {page}: 0 of 1 files sent", error);
        Assert.DoesNotMatch(@"(?m)^\s+at \S+\(|Exception:", error + output);
    }

    [Fact]
    public async Task Ingest_exits_1_and_sends_nothing_when_url_is_given_with_two_files()
    {
        var (exit, _, error) = await IngestCommandTests.RunAsync(
            ["--server", IngestCommandTests.ClosedAddress(), "--api-key", "k", "--url", "https://pith.science/citations/x", Write("a.txt"), Write("b.txt")]);

        Assert.Equal(IngestCommand.ExitUsage, exit);
        Assert.Contains("--url is the source of one page: give exactly one FILE, not 2 paths.", error);
    }

    [Fact]
    public async Task Ingest_exits_3_naming_the_path_and_sends_nothing_when_a_path_does_not_exist()
    {
        var missing = Path.Combine(_pages.Path, "missing");

        var (exit, _, error) = await IngestCommandTests.RunAsync(["--server", IngestCommandTests.ClosedAddress(), "--api-key", "k", Write("a.txt"), missing]);

        Assert.Equal(IngestCommand.ExitUnreadable, exit);
        Assert.Contains($"{missing}: no such file or folder", error);
        Assert.DoesNotContain("cannot reach", error);
    }

    private string Write(string name)
    {
        var path = Path.Combine(_pages.Path, name);
        File.WriteAllText(path, SeedPages.Text(SeedPages.Npo));
        return path;
    }

    public void Dispose() => _pages.Dispose();
}

using System.Text;
using CitationService.Contracts.V1;
using Grpc.Core;

namespace CitationService.Tests.Server;

/// <summary>Nothing stored can make a response pass a default client's 4 MB receive limit.</summary>
// On SQLite only, for the suite's time: the limits are the service's, on rows any engine returns alike.
public sealed class ResponseSizeTests() : FreshServerTests(TestEngine.Sqlite)
{
    [Fact]
    public async Task IngestHubPage_refuses_a_16_MiB_page_naming_its_abstract_and_ListHubs_keeps_working_in_a_default_client()
    {
        // 16 MiB less room for the message's own framing, as close to the receive limit as a page gets.
        const string end = "\nciting papers explorer\n- A Paper";
        var page = new StringBuilder("A Hub With A Long Abstract\n1 Pith paper cites this work.\nabstract\n");
        page.Append('a', 16 * 1024 * 1024 - 16 - page.Length - end.Length).Append(end);
        using var defaultChannel = Host.CreateChannel(defaultLimits: true);

        var e = await Assert.ThrowsAsync<RpcException>(() => Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = page.ToString() }).ResponseAsync);
        var hubs = await new HubService.HubServiceClient(defaultChannel).ListHubsAsync(new ListHubsRequest());

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("page_text: the abstract is ", e.Status.Detail);
        Assert.Empty(hubs.Hubs);
    }

    [Fact]
    public async Task ListHubs_stays_under_4_MB_with_a_next_page_token_when_the_page_size_would_pass_it()
    {
        // 70 hubs of about 60 KB each (a 20,000-character abstract of 3-byte characters): 4.2 MB in all.
        for (var i = 0; i < 70; i++)
        {
            await Ingestion.IngestHubPageAsync(new IngestHubPageRequest
            {
                PageText = $"Hub Number {i:D2}\n1 Pith paper cites this work.\nabstract\n{new string('€', 20_000)}\nciting papers explorer\n- A Paper",
            });
        }
        using var defaultChannel = Host.CreateChannel(defaultLimits: true);
        var hubs = new HubService.HubServiceClient(defaultChannel);

        var first = await hubs.ListHubsAsync(new ListHubsRequest { PageSize = 1000 });
        var second = await hubs.ListHubsAsync(new ListHubsRequest { PageSize = 1000, PageToken = first.NextPageToken });

        Assert.InRange(first.CalculateSize(), 3_000_000, 4_000_000);
        // The page's entries (each a tag byte, a length prefix and the hub) keep within the service's 3,500,000-byte
        // budget, which leaves the rest of the 4 MB to the token and framing; one hub more would pass it.
        var entries = first.Hubs.Sum(h => Google.Protobuf.CodedOutputStream.ComputeMessageSize(h) + 1);
        Assert.InRange(entries, 3_500_000 - Google.Protobuf.CodedOutputStream.ComputeMessageSize(second.Hubs[0]), 3_500_000);
        Assert.NotEmpty(first.NextPageToken);
        Assert.Empty(second.NextPageToken);
        Assert.Equal(70, first.Hubs.Count + second.Hubs.Count);
    }

    [Fact]
    public async Task ListHubs_fills_the_budget_to_its_last_byte_and_stops_before_one_byte_more()
    {
        // 60 hubs of about 57.6 KB, then one whose abstract makes the entries (tag byte, length prefix, hub) come
        // to exactly the 3,500,000-byte budget, then a small hub: the first page holds the 61, the second the small one.
        for (var i = 0; i < 60; i++)
        {
            await IngestHubAsync($"Hub Number {i:D2}", new string('€', 19_200));
        }
        using var defaultChannel = Host.CreateChannel(defaultLimits: true);
        var hubs = new HubService.HubServiceClient(defaultChannel);
        var sixty = (await hubs.ListHubsAsync(new ListHubsRequest { PageSize = 1000 })).Hubs;
        Assert.Equal(60, sixty.Count);
        // The last hub's timestamps' nanoseconds may take a byte more or less than those measured: measured after
        // each ingest, its abstract is set again until the entries come to the budget exactly.
        var bytes = ResponseBudgetBytes - sixty.Sum(Entry) - (Entry(sixty[^1]) - Encoding.UTF8.GetByteCount(sixty[^1].Abstract));
        var filled = false;
        for (var attempt = 0; attempt < 10 && !filled; attempt++)
        {
            await IngestHubAsync("Hub Number 60", new string('€', bytes / 3) + new string('a', bytes % 3));
            var last = (await hubs.ListHubsAsync(new ListHubsRequest { TitleQuery = "Hub Number 60" })).Hubs.Single();
            var missing = ResponseBudgetBytes - sixty.Sum(Entry) - Entry(last);
            filled = missing == 0;
            bytes += missing;
        }
        Assert.True(filled);
        await IngestHubAsync("Hub Number 61", "");

        var first = await hubs.ListHubsAsync(new ListHubsRequest { PageSize = 1000 });
        var second = await hubs.ListHubsAsync(new ListHubsRequest { PageSize = 1000, PageToken = first.NextPageToken });

        Assert.Equal(61, first.Hubs.Count);
        Assert.Equal(ResponseBudgetBytes, first.Hubs.Sum(Entry));
        Assert.NotEmpty(first.NextPageToken);
        Assert.Equal(["Hub Number 61"], second.Hubs.Select(h => h.Title));
        // Small enough that counting each entry 2 bytes short would let it onto the first page.
        Assert.InRange(Entry(second.Hubs[0]), 1, 2 * 62);

        static int Entry(Hub hub) => Google.Protobuf.CodedOutputStream.ComputeMessageSize(hub) + 1;
    }

    /// <summary>The service's ResponseBudget.Bytes.</summary>
    private const int ResponseBudgetBytes = 3_500_000;

    private async Task IngestHubAsync(string title, string @abstract) =>
        await Ingestion.IngestHubPageAsync(new IngestHubPageRequest
        {
            PageText = @abstract.Length == 0
                ? $"{title}\n1 Pith paper cites this work.\nciting papers explorer\n- A Paper"
                : $"{title}\n1 Pith paper cites this work.\nabstract\n{@abstract}\nciting papers explorer\n- A Paper",
        });

    [Fact]
    public async Task ListCitingPapers_stays_under_4_MB_with_a_next_page_token_when_the_page_size_would_pass_it()
    {
        // 1,000 papers of about 15 KB each (a 1,000-character title and a 4,000-character summary of 3-byte characters).
        var page = new StringBuilder("A Widely Cited Hub\n1000 Pith papers cite this work.\nciting papers explorer\n");
        for (var i = 0; i < 1000; i++)
        {
            page.Append("-\n").Append($"{i:D4} ").Append('€', 995).Append('\n').Append('€', 4_000).Append('\n');
        }
        var hubId = (await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = page.ToString() })).HubId;
        using var defaultChannel = Host.CreateChannel(defaultLimits: true);
        var hubs = new HubService.HubServiceClient(defaultChannel);

        var seen = 0;
        var token = "";
        var pages = 0;
        do
        {
            var response = await hubs.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hubId, PageSize = 1000, PageToken = token });
            Assert.InRange(response.CalculateSize(), 1, 4_000_000);
            seen += response.CitingPapers.Count;
            token = response.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(1000, seen);
        Assert.InRange(pages, 4, 6);
    }
}

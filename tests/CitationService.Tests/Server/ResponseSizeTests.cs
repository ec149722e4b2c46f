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

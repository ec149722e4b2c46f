using System.Text;
using CitationService.Contracts.V1;
using Grpc.Core;

namespace CitationService.Tests.Server;

/// <summary>
/// Every request field has a length limit, checked first, and errors quote only a short prefix of a bad value.
/// Over real loopback TCP: a long error trailer stalled a real HTTP/2 connection.
/// </summary>
public sealed class FieldLimitTests(SeededServerFixture.OnSqliteOverLoopback fixture) : IClassFixture<SeededServerFixture.OnSqliteOverLoopback>
{
    private static readonly string Huge = new('x', 60_000);

    private HubService.HubServiceClient Hubs => new(fixture.Host.Channel);

    [Theory]
    [InlineData("hub_id")]
    [InlineData("title")]
    [InlineData("doi")]
    [InlineData("source_url")]
    [InlineData("filter.submitted_from")]
    public async Task Call_fails_with_a_short_invalid_argument_when_a_field_holds_60000_characters_and_the_channel_keeps_serving(string field)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => CallWithAsync(field, Huge));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var next = await Hubs.GetHubAsync(new GetHubRequest { ArxivId = "2310.10683" }, cancellationToken: deadline.Token);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith(field + ": is 60000 characters; the limit is ", e.Status.Detail);
        Assert.InRange(e.Trailers.Sum(t => t.IsBinary ? t.ValueBytes.Length : Encoding.UTF8.GetByteCount(t.Value)), 1, 1024);
        Assert.Equal("2310.10683", next.Hub.ArxivId);
    }

    [Fact]
    public async Task GetHub_quotes_at_most_64_characters_of_a_title_it_does_not_find()
    {
        var title = new string('t', 1_000);

        var e = await Assert.ThrowsAsync<RpcException>(() => Hubs.GetHubAsync(new GetHubRequest { Title = title }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Equal($"no hub with title '{title[..64]}…' (1000 characters)", e.Status.Detail);
    }

    [Theory]
    [InlineData("text", 4_001)]
    [InlineData("hub_context.title", 1_001)]
    [InlineData("hub_context.abstract", 20_001)]
    [InlineData("hub_context.tier_label", 201)]
    public async Task Classify_names_the_field_over_its_limit(string field, int length)
    {
        var value = new string('a', length);
        var request = new ClassifyRequest { Text = field == "text" ? value : "A one-line summary.", HubContext = new HubContext() };
        switch (field)
        {
            case "hub_context.title": request.HubContext.Title = value; break;
            case "hub_context.abstract": request.HubContext.Abstract = value; break;
            case "hub_context.tier_label": request.HubContext.TierLabel = value; break;
        }

        var e = await Assert.ThrowsAsync<RpcException>(() => new ClassificationService.ClassificationServiceClient(fixture.Host.Channel).ClassifyAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith($"{field}: is {length} characters", e.Status.Detail);
    }

    [Fact]
    public async Task ListCitingPapers_rejects_more_than_16_roles_before_looking_up_the_hub()
    {
        var filter = new CitingPaperFilter();
        filter.Roles.AddRange(Enumerable.Repeat(CitationRole.Method, 17));

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            Hubs.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = "no such hub", Filter = filter }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("filter.roles: has 17 entries; the limit is 16", e.Status.Detail);
    }

    private Task CallWithAsync(string field, string value) => field switch
    {
        "hub_id" => Hubs.GetHubAsync(new GetHubRequest { HubId = value }).ResponseAsync,
        "title" => Hubs.GetHubAsync(new GetHubRequest { Title = value }).ResponseAsync,
        "doi" => Hubs.GetHubAsync(new GetHubRequest { Doi = value }).ResponseAsync,
        "source_url" => new IngestionService.IngestionServiceClient(fixture.Host.Channel)
            .IngestHubPageAsync(new IngestHubPageRequest { PageText = "A Hub\n1 Pith paper cites this work.", SourceUrl = value }).ResponseAsync,
        _ => Hubs.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = "hub_0", Filter = new CitingPaperFilter { SubmittedFrom = value } }).ResponseAsync,
    };
}

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

    /// <summary>Every limit <c>FieldLimits</c> checks, by the call that carries the field: the case, the field path and the limit.</summary>
    public static TheoryData<string, string, int> Limits => new()
    {
        { "GetHub", "hub_id", 128 },
        { "GetHub", "title", 1_000 },
        { "GetHub", "arxiv_id", 64 },
        { "GetHub", "doi", 256 },
        { "GetHub", "source_url", 2_048 },
        { "ListHubs", "page_token", 4_096 },
        { "ListHubs", "title_query", 500 },
        { "GetHubSummary", "hub_id", 128 },
        { "GetCitingPaper", "citing_paper_id", 128 },
        { "ListCitingPapers", "hub_id", 128 },
        { "ListCitingPapers", "page_token", 4_096 },
        { "ListCitingPapers", "filter.roles", 16 },
        { "ListCitingPapers", "filter.polarities", 16 },
        { "ListCitingPapers", "filter.primary_category", 64 },
        { "ListCitingPapers", "filter.submitted_from", 10 },
        { "ListCitingPapers", "filter.submitted_to", 10 },
        { "ListCitingPapers", "filter.text_contains", 500 },
        { "StreamCitingPapers", "hub_id", 128 },
        { "StreamCitingPapers", "filter.text_contains", 500 },
        { "IngestHubPage", "source_url", 2_048 },
        { "Classify", "text", 4_000 },
        { "Classify", "tasks", 16 },
        { "Classify", "hub_id", 128 },
        { "Classify", "hub_context.title", 1_000 },
        { "Classify", "hub_context.abstract", 20_000 },
        { "Classify", "hub_context.tier_label", 200 },
        { "ClassifyStream", "requests[0].correlation_id", 256 },
        { "ClassifyStream", "requests[0].request.text", 4_000 },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task Call_fails_naming_the_field_and_its_limit_when_the_field_is_one_over_it(string call, string field, int limit)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => CallAsync(call, field, limit + 1));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var unit = IsList(field) ? "entries" : "characters";
        var verb = IsList(field) ? "has" : "is";
        Assert.Equal($"{field}: {verb} {limit + 1} {unit}; the limit is {limit}", e.Status.Detail);
        var violation = Assert.Single(Assert.IsType<Google.Rpc.BadRequest>(e.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()).FieldViolations);
        Assert.Equal(field, violation.Field);
    }

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task Call_passes_the_length_check_when_the_field_is_exactly_at_its_limit(string call, string field, int limit)
    {
        // The call may still fail on what the value says (no such hub, not a date): not on its length.
        var e = await Record.ExceptionAsync(() => CallAsync(call, field, limit));

        var detail = (e as RpcException)?.Status.Detail ?? "";
        Assert.DoesNotContain("the limit is", detail);
    }

    [Fact]
    public async Task Classify_fails_naming_hub_context_when_its_three_texts_together_pass_20000_characters()
    {
        var request = new ClassifyRequest
        {
            Text = "A one-line summary.",
            HubContext = new HubContext { Title = new string('t', 1_000), Abstract = new string('a', 18_801), TierLabel = new string('l', 200) },
        };

        var e = await Assert.ThrowsAsync<RpcException>(() => Classification.ClassifyAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("hub_context: title, abstract and tier label exceed 20000 characters together", e.Status.Detail);
    }

    [Fact]
    public async Task Classify_accepts_a_hub_context_of_exactly_20000_characters_together()
    {
        var request = new ClassifyRequest
        {
            Text = "A one-line summary.",
            HubContext = new HubContext { Title = new string('t', 1_000), Abstract = new string('a', 18_800), TierLabel = new string('l', 200) },
        };

        var response = await Classification.ClassifyAsync(request);

        Assert.NotNull(response.Role);
    }

    [Fact]
    public async Task GetHub_quotes_a_title_of_exactly_64_characters_whole()
    {
        var title = new string('t', 64);

        var e = await Assert.ThrowsAsync<RpcException>(() => Hubs.GetHubAsync(new GetHubRequest { Title = title }).ResponseAsync);

        Assert.Equal($"no hub with title '{title}'", e.Status.Detail);
    }

    [Fact]
    public async Task GetHub_quotes_63_characters_rather_than_cut_a_surrogate_pair_at_the_64th()
    {
        var title = new string('t', 63) + "\U0001F600" + new string('u', 10);

        var e = await Assert.ThrowsAsync<RpcException>(() => Hubs.GetHubAsync(new GetHubRequest { Title = title }).ResponseAsync);

        Assert.Equal($"no hub with title '{new string('t', 63)}…' (75 characters)", e.Status.Detail);
    }

    private ClassificationService.ClassificationServiceClient Classification => new(fixture.Host.Channel);

    private static bool IsList(string field) => field is "tasks" or "filter.roles" or "filter.polarities";

    /// <summary>Calls <paramref name="call"/> with <paramref name="field"/> holding <paramref name="length"/> characters (entries for a list), every other field valid.</summary>
    private async Task CallAsync(string call, string field, int length)
    {
        var value = new string('a', length);
        switch (call)
        {
            case "GetHub":
                var getHub = new GetHubRequest();
                switch (field)
                {
                    case "hub_id": getHub.HubId = value; break;
                    case "title": getHub.Title = value; break;
                    case "arxiv_id": getHub.ArxivId = value; break;
                    case "doi": getHub.Doi = value; break;
                    default: getHub.SourceUrl = value; break;
                }
                await Hubs.GetHubAsync(getHub);
                break;
            case "ListHubs":
                await Hubs.ListHubsAsync(field == "page_token" ? new ListHubsRequest { PageToken = value } : new ListHubsRequest { TitleQuery = value });
                break;
            case "GetHubSummary":
                await Hubs.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = value });
                break;
            case "GetCitingPaper":
                await Hubs.GetCitingPaperAsync(new GetCitingPaperRequest { CitingPaperId = value });
                break;
            case "ListCitingPapers":
                var list = new ListCitingPapersRequest { HubId = field == "hub_id" ? value : "hub_0", Filter = Filter(field, length) };
                if (field == "page_token")
                {
                    list.PageToken = value;
                }
                await Hubs.ListCitingPapersAsync(list);
                break;
            case "StreamCitingPapers":
                using (var stream = Hubs.StreamCitingPapers(new StreamCitingPapersRequest { HubId = field == "hub_id" ? value : "hub_0", Filter = Filter(field, length) }))
                {
                    await stream.ResponseStream.MoveNext();
                }
                break;
            case "IngestHubPage":
                await new IngestionService.IngestionServiceClient(fixture.Host.Channel)
                    .IngestHubPageAsync(new IngestHubPageRequest { PageText = "A Hub\n1 Pith paper cites this work.", SourceUrl = value });
                break;
            case "Classify":
                var classify = new ClassifyRequest { Text = field == "text" ? value : "A one-line summary." };
                switch (field)
                {
                    case "tasks": classify.Tasks.AddRange(Enumerable.Repeat(ClassificationTask.Role, length)); break;
                    case "hub_id": classify.HubId = value; break;
                    case "hub_context.title": classify.HubContext = new HubContext { Title = value }; break;
                    case "hub_context.abstract": classify.HubContext = new HubContext { Abstract = value }; break;
                    case "hub_context.tier_label": classify.HubContext = new HubContext { TierLabel = value }; break;
                }
                await Classification.ClassifyAsync(classify);
                break;
            default:
                using (var duplex = Classification.ClassifyStream())
                {
                    await duplex.RequestStream.WriteAsync(new ClassifyStreamRequest
                    {
                        CorrelationId = field.EndsWith("correlation_id", StringComparison.Ordinal) ? value : "",
                        Request = new ClassifyRequest { Text = field.EndsWith("text", StringComparison.Ordinal) ? value : "A one-line summary." },
                    });
                    await duplex.RequestStream.CompleteAsync();
                    while (await duplex.ResponseStream.MoveNext())
                    {
                    }
                }
                break;
        }
    }

    private static CitingPaperFilter Filter(string field, int length)
    {
        var value = new string('a', length);
        var filter = new CitingPaperFilter();
        switch (field)
        {
            case "filter.roles": filter.Roles.AddRange(Enumerable.Repeat(CitationRole.Method, length)); break;
            case "filter.polarities": filter.Polarities.AddRange(Enumerable.Repeat(CitationPolarity.Supporting, length)); break;
            case "filter.primary_category": filter.PrimaryCategory = value; break;
            case "filter.submitted_from": filter.SubmittedFrom = value; break;
            case "filter.submitted_to": filter.SubmittedTo = value; break;
            case "filter.text_contains": filter.TextContains = value; break;
        }
        return filter;
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

using CitationService.Contracts.V1;
using Grpc.Core;

namespace CitationService.Tests.Server;

/// <summary>HubService against the service started on the four seed pages, on each engine.</summary>
public abstract class HubServiceTests(SeededServerFixture fixture)
{
    public sealed class OnSqlite(SeededServerFixture.OnSqlite fixture) : HubServiceTests(fixture), IClassFixture<SeededServerFixture.OnSqlite>;

    public sealed class OnPostgreSql(SeededServerFixture.OnPostgreSql fixture) : HubServiceTests(fixture), IClassFixture<SeededServerFixture.OnPostgreSql>;

    private const string NpoTitle = "Negative Preference Optimization: From Catastrophic Collapse to Effective Unlearning";

    private HubService.HubServiceClient Client => new(fixture.Host.Channel);

    [Fact]
    public async Task GetHub_returns_seed_hub_with_stated_count_when_looked_up_by_title()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;

        Assert.Equal(NpoTitle, hub.Title);
        Assert.Equal(27, hub.StatedCitingCount);
        Assert.Equal(27, hub.StoredCitingCount);
        Assert.Equal("hub", hub.TierLabel);
        Assert.StartsWith("Large Language Models (LLMs) often memorize", hub.Abstract);
        Assert.NotNull(hub.IngestedAt);
    }

    [Fact]
    public async Task GetHub_matches_title_ignoring_case_and_spacing()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = "  negative preference optimization:  from catastrophic collapse to effective unlearning " })).Hub;

        Assert.Equal(NpoTitle, hub.Title);
    }

    [Fact]
    public async Task GetHub_returns_same_hub_by_id_and_by_arxiv_id()
    {
        var byArxiv = (await Client.GetHubAsync(new GetHubRequest { ArxivId = "2310.10683" })).Hub;
        var byId = (await Client.GetHubAsync(new GetHubRequest { HubId = byArxiv.Id })).Hub;

        Assert.Equal(byArxiv, byId);
        Assert.Equal("https://pith.science/citations/58f6ddcc-acc4-4862-8a76-e8a22f55b6d1", byId.SourceUrl);
    }

    [Fact]
    public async Task GetHub_fails_with_not_found_naming_the_title_when_no_hub_matches()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.GetHubAsync(new GetHubRequest { Title = "No such paper" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("title 'No such paper'", e.Status.Detail);
    }

    [Fact]
    public async Task GetHub_fails_with_invalid_argument_when_no_lookup_is_set()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.GetHubAsync(new GetHubRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("lookup:", e.Status.Detail);
    }

    [Fact]
    public async Task GetHub_fails_with_invalid_argument_carrying_a_field_violation_when_hub_id_is_blank()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.GetHubAsync(new GetHubRequest { HubId = " " }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var violation = Assert.Single(Assert.IsType<Google.Rpc.BadRequest>(e.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()).FieldViolations);
        Assert.Equal("hub_id", violation.Field);
    }

    [Fact]
    public async Task ListHubs_returns_all_four_seed_hubs_once_across_pages_of_one()
    {
        var seen = new List<Hub>();
        var token = "";
        do
        {
            var page = await Client.ListHubsAsync(new ListHubsRequest { PageSize = 1, PageToken = token });
            seen.AddRange(page.Hubs);
            token = page.NextPageToken;
        }
        while (token.Length > 0 && seen.Count < 10);

        Assert.Equal(4, seen.Count);
        Assert.Equal(4, seen.Select(h => h.Id).Distinct().Count());
        Assert.Contains(seen, h => h.Title == "Pythia: A Suite for Analyzing Large Language Models Across Training and Scaling");
    }

    [Fact]
    public async Task ListHubs_filters_by_title_query()
    {
        var page = await Client.ListHubsAsync(new ListHubsRequest { TitleQuery = "pythia" });

        Assert.Equal("Pythia: A Suite for Analyzing Large Language Models Across Training and Scaling", Assert.Single(page.Hubs).Title);
        Assert.Equal("", page.NextPageToken);
    }

    [Fact]
    public async Task ListHubs_rejects_a_page_token_reused_with_another_title_query()
    {
        var first = await Client.ListHubsAsync(new ListHubsRequest { PageSize = 1 });

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ListHubsAsync(new ListHubsRequest { PageSize = 1, PageToken = first.NextPageToken, TitleQuery = "x" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("page_token: was issued for a request with other parameters; keep them unchanged while paging", e.Status.Detail);
    }

    [Theory]
    [InlineData("garbage!")]
    [InlineData("eyJub3QiOiJhIHRva2VuIn0")]
    public async Task ListHubs_rejects_a_malformed_page_token(string token)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.ListHubsAsync(new ListHubsRequest { PageToken = token }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("page_token: is not a page token this service issued", e.Status.Detail);
    }

    [Fact]
    public async Task ListHubs_rejects_a_title_query_over_500_characters()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.ListHubsAsync(new ListHubsRequest { TitleQuery = new string('q', 501) }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("title_query:", e.Status.Detail);
    }

    [Fact]
    public async Task ListCitingPapers_rejects_text_contains_over_500_characters()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var filter = new CitingPaperFilter { TextContains = new string('q', 501) };

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, Filter = filter }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("filter.text_contains:", e.Status.Detail);
    }

    [Fact]
    public async Task ListHubs_rejects_a_negative_page_size()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.ListHubsAsync(new ListHubsRequest { PageSize = -1 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("page_size:", e.Status.Detail);
    }

    [Fact]
    public async Task StreamCitingPapers_returns_the_seed_hubs_papers_exactly_as_on_the_page()
    {
        var expected = SeedPages.ExplorerEntries(SeedPages.Npo);
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;

        var papers = await ReadAllAsync(Client.StreamCitingPapers(new StreamCitingPapersRequest { HubId = hub.Id }));

        Assert.Equal(27, expected.Count);
        Assert.Equal(expected, papers.Select(p => (p.Title, p.HasSummary ? p.Summary : null)).ToList());
        Assert.False(papers[^1].HasSummary);
        Assert.Equal(Enumerable.Range(0, 27), papers.Select(p => p.Position));
    }

    [Fact]
    public async Task ListCitingPapers_pages_through_the_same_papers_as_the_stream()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var streamed = await ReadAllAsync(Client.StreamCitingPapers(new StreamCitingPapersRequest { HubId = hub.Id }));

        var listed = new List<CitingPaper>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, PageSize = 10, PageToken = token });
            listed.AddRange(page.CitingPapers);
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(streamed, listed);
    }

    [Fact]
    public async Task ListCitingPapers_filters_by_text_in_title_or_summary()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;

        var page = await Client.ListCitingPapersAsync(new ListCitingPapersRequest
        {
            HubId = hub.Id,
            Filter = new CitingPaperFilter { TextContains = "TOFU" },
        });

        Assert.NotEmpty(page.CitingPapers);
        Assert.All(page.CitingPapers, p => Assert.Contains("tofu", (p.Title + " " + p.Summary).ToLowerInvariant()));
    }

    [Fact]
    public async Task ListCitingPapers_filters_by_category_and_date_range()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = "Pythia: A Suite for Analyzing Large Language Models Across Training and Scaling" })).Hub;

        var page = await Client.ListCitingPapersAsync(new ListCitingPapersRequest
        {
            HubId = hub.Id,
            Filter = new CitingPaperFilter { PrimaryCategory = "cs.LG", SubmittedFrom = "2026-05-08", SubmittedTo = "2026-05-31" },
        });

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal("Theoretical Limits of Language Model Alignment", paper.Title);
        Assert.Equal("2026-05-08", paper.SubmittedDate);
        Assert.Equal(7.0f, paper.NoveltyScore);
    }

    [Fact]
    public async Task StreamCitingPapers_applies_the_filter_as_ListCitingPapers_does()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var filter = new CitingPaperFilter { TextContains = "benchmark" };

        var streamed = await ReadAllAsync(Client.StreamCitingPapers(new StreamCitingPapersRequest { HubId = hub.Id, Filter = filter }));
        var listed = await Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, Filter = filter, PageSize = 100 });

        Assert.InRange(streamed.Count, 1, hub.StoredCitingCount - 1);
        Assert.All(streamed, p => Assert.Contains("benchmark", p.Title + " " + p.Summary, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(listed.CitingPapers.Select(p => p.Id), streamed.Select(p => p.Id));
    }

    [Fact]
    public async Task ListCitingPapers_rejects_a_page_token_from_another_hub()
    {
        var npo = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var other = (await Client.ListHubsAsync(new ListHubsRequest())).Hubs.First(h => h.Id != npo.Id);
        var first = await Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = npo.Id, PageSize = 1 });

        var e = await Assert.ThrowsAsync<RpcException>(() => Client.ListCitingPapersAsync(
            new ListCitingPapersRequest { HubId = other.Id, PageSize = 1, PageToken = first.NextPageToken }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("page_token:", e.Status.Detail);
    }

    [Fact]
    public async Task ListCitingPapers_rejects_a_page_token_from_another_filter()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var first = await Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, PageSize = 5 });

        var e = await Assert.ThrowsAsync<RpcException>(() => Client.ListCitingPapersAsync(new ListCitingPapersRequest
        {
            HubId = hub.Id,
            PageSize = 5,
            PageToken = first.NextPageToken,
            Filter = new CitingPaperFilter { TextContains = "LLM" },
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Theory]
    [InlineData("filter.submitted_from", "2026-13-01", null, 0f)]
    [InlineData("filter.submitted_from", "2026-05-09", "2026-05-01", 0f)]
    [InlineData("filter.min_role_confidence", null, null, 1.5f)]
    [InlineData("filter.min_role_confidence", null, null, float.NaN)]
    public async Task ListCitingPapers_rejects_an_invalid_filter_naming_the_field(string field, string? from, string? to, float minRole)
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var filter = new CitingPaperFilter { SubmittedFrom = from ?? "", SubmittedTo = to ?? "", MinRoleConfidence = minRole };

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, Filter = filter }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith(field + ":", e.Status.Detail);
    }

    [Fact]
    public async Task ListCitingPapers_rejects_an_unknown_role_in_the_filter()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var filter = new CitingPaperFilter { Roles = { CitationRole.Method, (CitationRole)42 } };

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, Filter = filter }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("filter.roles[1]:", e.Status.Detail);
    }

    [Fact]
    public async Task StreamCitingPapers_fails_with_not_found_for_an_unknown_hub()
    {
        var call = Client.StreamCitingPapers(new StreamCitingPapersRequest { HubId = "hub_missing" });

        var e = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(call));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("hub_missing", e.Status.Detail);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    public async Task ListCitingPapers_fails_with_not_found_for_an_unknown_hub_whatever_the_page_token(string token)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = " hub_missing ", PageToken = token }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Equal("no hub with hub_id 'hub_missing'", e.Status.Detail);
    }

    [Fact]
    public async Task ListCitingPapers_returns_an_empty_page_when_the_filter_matches_no_paper_of_the_hub()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;

        var page = await Client.ListCitingPapersAsync(new ListCitingPapersRequest
        {
            HubId = " " + hub.Id,
            Filter = new CitingPaperFilter { TextContains = "no paper says this" },
        });

        Assert.Empty(page.CitingPapers);
        Assert.Equal("", page.NextPageToken);
    }

    [Fact]
    public async Task GetCitingPaper_returns_the_paper_the_stream_listed()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var first = (await ReadAllAsync(Client.StreamCitingPapers(new StreamCitingPapersRequest { HubId = hub.Id })))[0];

        var paper = (await Client.GetCitingPaperAsync(new GetCitingPaperRequest { CitingPaperId = first.Id })).CitingPaper;

        Assert.Equal(first, paper);
        Assert.Equal(hub.Id, paper.HubId);
    }

    [Theory]
    [InlineData("", StatusCode.InvalidArgument)]
    [InlineData("cp_0000000000000000", StatusCode.NotFound)]
    public async Task GetCitingPaper_fails_with_a_precise_code(string id, StatusCode code)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.GetCitingPaperAsync(new GetCitingPaperRequest { CitingPaperId = id }).ResponseAsync);

        Assert.Equal(code, e.StatusCode);
        Assert.Contains("citing_paper_id", e.Status.Detail);
    }

    [Fact]
    public async Task GetHubSummary_keeps_the_pages_stated_role_counts_apart_from_classified_counts()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = "Pythia: A Suite for Analyzing Large Language Models Across Training and Scaling" })).Hub;

        var summary = await Client.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = hub.Id });

        Assert.Equal(["dataset 5", "background 2", "method 2"], summary.StatedRoleCounts.Select(c => $"{c.Label} {c.Count}"));
        Assert.Equal(2, summary.CitingPaperCount);
        Assert.Equal(summary.CitingPaperCount,
            summary.RoleCounts.Sum(c => c.Count) + summary.LowConfidenceRoleCounts.Sum(c => c.Count) + summary.UnclassifiedRoleCount);
    }

    [Fact]
    public async Task GetHubSummary_fails_with_not_found_for_an_unknown_hub()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = "hub_missing" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }

    private const string ToEachTitle = "To each (textual sequence) its own: Im- proving memorized-data unlearning in large language models";

    private static GetHubRequest Lookup(string field, string value) => field switch
    {
        "hub_id" => new GetHubRequest { HubId = value },
        "title" => new GetHubRequest { Title = value },
        "arxiv_id" => new GetHubRequest { ArxivId = value },
        "doi" => new GetHubRequest { Doi = value },
        "source_url" => new GetHubRequest { SourceUrl = value },
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    [Theory]
    [InlineData("hub_id", "hub_missing")]
    [InlineData("title", "No such paper")]
    [InlineData("arxiv_id", "9999.99999")]
    [InlineData("doi", "10.0000/no-such-doi")]
    [InlineData("source_url", "pith.science/citations/00000000-0000-4000-8000-000000000000")]
    public async Task GetHub_fails_with_not_found_naming_the_lookup_field_and_value_it_was_given(string field, string value)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.GetHubAsync(Lookup(field, value)).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Equal($"no hub with {field} '{value}'", e.Status.Detail);
    }

    [Theory]
    [InlineData("hub_id")]
    [InlineData("title")]
    [InlineData("arxiv_id")]
    [InlineData("doi")]
    [InlineData("source_url")]
    public async Task GetHub_fails_with_invalid_argument_naming_the_blank_lookup_field(string field)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.GetHubAsync(Lookup(field, " \t")).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal($"{field}: must not be empty", e.Status.Detail);
        var violation = Assert.Single(e.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations);
        Assert.Equal((field, "must not be empty"), (violation.Field, violation.Description));
    }

    [Fact]
    public async Task GetHub_names_every_lookup_field_when_none_is_set()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.GetHubAsync(new GetHubRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("lookup: set one of hub_id, title, arxiv_id, doi, source_url", e.Status.Detail);
    }

    [Fact]
    public async Task GetCitingPaper_fails_with_not_found_naming_the_trimmed_id()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            Client.GetCitingPaperAsync(new GetCitingPaperRequest { CitingPaperId = " cp_0000000000000000 " }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Equal("no citing paper with citing_paper_id 'cp_0000000000000000'", e.Status.Detail);
    }

    [Fact]
    public async Task GetHubSummary_fails_with_not_found_naming_the_trimmed_hub_id()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = " hub_missing" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Equal("no hub with hub_id 'hub_missing'", e.Status.Detail);
    }

    [Theory]
    [InlineData(0, 4, false)]
    [InlineData(4, 4, false)]
    [InlineData(3, 3, true)]
    public async Task ListHubs_hands_out_a_next_page_token_only_when_hubs_are_left(int pageSize, int listed, bool more)
    {
        var page = await Client.ListHubsAsync(new ListHubsRequest { PageSize = pageSize });

        Assert.Equal(listed, page.Hubs.Count);
        Assert.Equal(more, page.NextPageToken.Length > 0);
        if (more)
        {
            var rest = await Client.ListHubsAsync(new ListHubsRequest { PageSize = pageSize, PageToken = page.NextPageToken });
            Assert.Equal(4 - listed, rest.Hubs.Count);
            Assert.Equal("", rest.NextPageToken);
            Assert.Empty(page.Hubs.Select(h => h.Id).Intersect(rest.Hubs.Select(h => h.Id)));
        }
    }

    [Theory]
    [InlineData(27, 27, false)]
    [InlineData(26, 26, true)]
    public async Task ListCitingPapers_hands_out_a_next_page_token_only_when_papers_are_left(int pageSize, int listed, bool more)
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;

        var page = await Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, PageSize = pageSize });

        Assert.Equal(Enumerable.Range(0, listed), page.CitingPapers.Select(p => p.Position));
        Assert.Equal(more, page.NextPageToken.Length > 0);
        if (more)
        {
            var rest = await Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, PageSize = pageSize, PageToken = page.NextPageToken });
            Assert.Equal([26], rest.CitingPapers.Select(p => p.Position));
            Assert.Equal("", rest.NextPageToken);
        }
    }

    [Fact]
    public async Task GetHubSummary_counts_are_those_of_the_hubs_listed_papers_ordered_by_count_then_label()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var papers = (await Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, PageSize = 100 })).CitingPapers;

        var summary = await Client.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = " " + hub.Id });

        Assert.Equal((hub.Id, 27, 0.5f), (summary.HubId, summary.CitingPaperCount, summary.ConfidenceThreshold));
        var roles = papers.Where(p => p.Role is not null && p.Role.Role != CitationRole.Unspecified).Select(p => p.Role).ToList();
        var polarities = papers.Where(p => p.Polarity is not null && p.Polarity.Polarity != CitationPolarity.Unspecified).Select(p => p.Polarity).ToList();
        Assert.Equal(27 - roles.Count, summary.UnclassifiedRoleCount);
        Assert.Equal(27 - polarities.Count, summary.UnclassifiedPolarityCount);
        Assert.Equal(Counts(roles.Where(r => !r.LowConfidence).Select(r => r.Role)), summary.RoleCounts.Select(c => (c.Role, c.Count)));
        Assert.Equal(Counts(roles.Where(r => r.LowConfidence).Select(r => r.Role)), summary.LowConfidenceRoleCounts.Select(c => (c.Role, c.Count)));
        Assert.Equal(Counts(polarities.Where(p => !p.LowConfidence).Select(p => p.Polarity)), summary.PolarityCounts.Select(c => (c.Polarity, c.Count)));
        Assert.Equal(Counts(polarities.Where(p => p.LowConfidence).Select(p => p.Polarity)), summary.LowConfidencePolarityCounts.Select(c => (c.Polarity, c.Count)));
        // Two labels with papers in each list (background 14, baseline 12; neutral 24, contrasting 2), so that
        // their order is checked; no seed paper is below the threshold.
        Assert.Equal((2, 2), (summary.RoleCounts.Count, summary.PolarityCounts.Count));
        Assert.Empty(summary.FilteredViews);

        static List<(T, int)> Counts<T>(IEnumerable<T> labels) where T : struct, Enum =>
            labels.GroupBy(l => l).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => (g.Key, g.Count())).ToList();
    }

    [Fact]
    public async Task GetHubSummary_gives_the_pages_stated_polarity_counts()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = ToEachTitle })).Hub;

        var summary = await Client.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = hub.Id });

        Assert.Equal(["background 1"], summary.StatedRoleCounts.Select(c => $"{c.Label} {c.Count}"));
        Assert.Equal(["background 1"], summary.StatedPolarityCounts.Select(c => $"{c.Label} {c.Count}"));
    }

    private const string PythiaTitle = "Pythia: A Suite for Analyzing Large Language Models Across Training and Scaling";

    private async Task<List<string>> ListIdsAsync(string hubId, CitingPaperFilter filter, int pageSize = 100) =>
        (await Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hubId, Filter = filter, PageSize = pageSize }))
            .CitingPapers.Select(p => p.Id).ToList();

    [Fact]
    public async Task ListCitingPapers_gives_the_fields_each_paper_states_and_where_its_labels_come_from()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = PythiaTitle })).Hub;

        var papers = (await Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id })).CitingPapers;

        Assert.Equal(2, papers.Count);
        var (limits, collapse) = (papers[0], papers[1]);
        Assert.Equal(
            ("Theoretical Limits of Language Model Alignment", hub.Id, "cs.LG", "2026-05-08", "unverdicted", 7f, false, true, 0),
            (limits.Title, limits.HubId, limits.PrimaryCategory, limits.SubmittedDate, limits.Verdict, limits.NoveltyScore, limits.HasReferenceCount, limits.Representative, limits.Position));
        Assert.Equal(
            ("Layer Collapse in Diffusion Language Models", "2026-05-07", true, 2, 1),
            (collapse.Title, collapse.SubmittedDate, collapse.HasReferenceCount, collapse.ReferenceCount, collapse.Position));
        // The first is classified from its summary; the second is not classified: an empty classification, no source.
        Assert.Equal((LabelSource.Summary, CitationRole.Background), (limits.LabelSource, limits.Role.Role));
        Assert.Equal((LabelSource.Unspecified, new RoleClassification(), new PolarityClassification()), (collapse.LabelSource, collapse.Role, collapse.Polarity));
    }

    [Fact]
    public async Task Listed_papers_give_their_scores_by_descending_probability_and_low_confidence_below_the_threshold()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;

        var papers = (await Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, PageSize = 100 })).CitingPapers
            .Where(p => p.LabelSource != LabelSource.Unspecified).ToList();

        Assert.Equal(26, papers.Count);
        // The seed page gives the NPO papers no date: an empty submitted_date.
        Assert.All(papers, p => Assert.Equal("", p.SubmittedDate));
        Assert.All(papers, p =>
        {
            Assert.Equal(p.Role.Scores.OrderByDescending(s => s.Probability).ThenBy(s => s.Role), p.Role.Scores);
            Assert.Equal(p.Polarity.Scores.OrderByDescending(s => s.Probability).ThenBy(s => s.Polarity), p.Polarity.Scores);
            Assert.Equal((p.Role.Scores[0].Role, p.Role.Scores[0].Probability), (p.Role.Role, p.Role.Confidence));
            Assert.Equal((p.Polarity.Scores[0].Polarity, p.Polarity.Scores[0].Probability), (p.Polarity.Polarity, p.Polarity.Confidence));
            Assert.Equal(p.Role.Confidence < 0.5f, p.Role.LowConfidence);
            Assert.Equal(p.Polarity.Confidence < 0.5f, p.Polarity.LowConfidence);
        });
        // The models' own label order is not the order by probability for some of them, so the sort is seen.
        Assert.Contains(papers, p => p.Role.Scores[0].Role != CitationRole.Background);
    }

    [Fact]
    public async Task ListCitingPapers_filters_by_role_polarity_and_minimum_confidence_as_the_papers_are_labelled()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var all = (await Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, PageSize = 100 })).CitingPapers;

        Assert.Equal(all.Where(p => p.Role.Role == CitationRole.Baseline).Select(p => p.Id), await ListIdsAsync(hub.Id, new CitingPaperFilter { Roles = { CitationRole.Baseline } }));
        Assert.Equal(all.Where(p => p.Role.Role == CitationRole.Unspecified).Select(p => p.Id), await ListIdsAsync(hub.Id, new CitingPaperFilter { Roles = { CitationRole.Unspecified } }));
        Assert.Equal(all.Where(p => p.Polarity.Polarity == CitationPolarity.Contrasting).Select(p => p.Id), await ListIdsAsync(hub.Id, new CitingPaperFilter { Polarities = { CitationPolarity.Contrasting } }));
        Assert.Equal(all.Where(p => p.Role.Confidence >= 0.8f).Select(p => p.Id), await ListIdsAsync(hub.Id, new CitingPaperFilter { MinRoleConfidence = 0.8f }));
        Assert.Equal(all.Where(p => p.Polarity.Confidence >= 0.9f).Select(p => p.Id), await ListIdsAsync(hub.Id, new CitingPaperFilter { MinPolarityConfidence = 0.9f }));
        // The bounds themselves are valid confidences.
        Assert.Empty(await ListIdsAsync(hub.Id, new CitingPaperFilter { MinRoleConfidence = 1f, MinPolarityConfidence = 1f }));
        Assert.Equal(all.Select(p => p.Id), await ListIdsAsync(hub.Id, new CitingPaperFilter { MinRoleConfidence = 0f, MinPolarityConfidence = 0f }));
        // Each filter above selects some papers and leaves out others.
        Assert.Equal((12, 1, 2), (all.Count(p => p.Role.Role == CitationRole.Baseline), all.Count(p => p.Role.Role == CitationRole.Unspecified), all.Count(p => p.Polarity.Polarity == CitationPolarity.Contrasting)));
        Assert.InRange(all.Count(p => p.Role.Confidence >= 0.8f), 1, 25);
        Assert.InRange(all.Count(p => p.Polarity.Confidence >= 0.9f), 1, 25);
    }

    [Fact]
    public async Task ListCitingPapers_trims_the_text_criteria_and_reads_a_blank_one_as_none()
    {
        var npo = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var pythia = (await Client.GetHubAsync(new GetHubRequest { Title = PythiaTitle })).Hub;

        Assert.Equal(27, (await ListIdsAsync(npo.Id, new CitingPaperFilter { PrimaryCategory = "   ", TextContains = " \t " })).Count);
        Assert.Equal(2, (await ListIdsAsync(pythia.Id, new CitingPaperFilter { PrimaryCategory = " cs.LG " })).Count);
        Assert.Equal(
            await ListIdsAsync(npo.Id, new CitingPaperFilter { TextContains = "TOFU" }),
            await ListIdsAsync(npo.Id, new CitingPaperFilter { TextContains = "  TOFU " }));
        // A one-day range: from and to the same date.
        var day = await Client.ListCitingPapersAsync(new ListCitingPapersRequest
        {
            HubId = pythia.Id,
            Filter = new CitingPaperFilter { SubmittedFrom = "2026-05-07", SubmittedTo = "2026-05-07" },
        });
        Assert.Equal("Layer Collapse in Diffusion Language Models", Assert.Single(day.CitingPapers).Title);
    }

    [Theory]
    [InlineData("min_role_confidence", "filter.min_role_confidence: must be between 0 and 1")]
    [InlineData("min_polarity_confidence", "filter.min_polarity_confidence: must be between 0 and 1")]
    [InlineData("submitted_to", "filter.submitted_to: '2026-02-30' is not a date in the form YYYY-MM-DD")]
    [InlineData("range", "filter.submitted_from: is after submitted_to")]
    [InlineData("roles", "filter.roles[1]: unknown role 42")]
    [InlineData("polarities", "filter.polarities[0]: unknown polarity 9")]
    public async Task ListCitingPapers_and_StreamCitingPapers_reject_an_invalid_filter_with_its_exact_message(string invalid, string message)
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var filter = invalid switch
        {
            "min_role_confidence" => new CitingPaperFilter { MinRoleConfidence = -0.001f },
            "min_polarity_confidence" => new CitingPaperFilter { MinPolarityConfidence = 1.001f },
            "submitted_to" => new CitingPaperFilter { SubmittedTo = "2026-02-30" },
            "range" => new CitingPaperFilter { SubmittedFrom = "2026-05-08", SubmittedTo = "2026-05-07" },
            "roles" => new CitingPaperFilter { Roles = { CitationRole.Method, (CitationRole)42 } },
            _ => new CitingPaperFilter { Polarities = { (CitationPolarity)9 } },
        };

        var listed = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, Filter = filter }).ResponseAsync);
        var streamed = await Assert.ThrowsAsync<RpcException>(() =>
            ReadAllAsync(Client.StreamCitingPapers(new StreamCitingPapersRequest { HubId = hub.Id, Filter = filter })));

        Assert.Equal((StatusCode.InvalidArgument, message), (listed.StatusCode, listed.Status.Detail));
        Assert.Equal((StatusCode.InvalidArgument, message), (streamed.StatusCode, streamed.Status.Detail));
    }

    [Fact]
    public async Task ListCitingPapers_accepts_a_page_size_over_the_maximum_and_names_a_negative_one()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;

        var page = await Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, PageSize = 1001 });
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, PageSize = -1 }).ResponseAsync);

        Assert.Equal((27, ""), (page.CitingPapers.Count, page.NextPageToken));
        Assert.Equal((StatusCode.InvalidArgument, "page_size: must not be negative"), (e.StatusCode, e.Status.Detail));
    }

    [Fact]
    public async Task Calls_naming_a_hub_fail_with_invalid_argument_naming_hub_id_when_it_is_blank()
    {
        var listed = await Assert.ThrowsAsync<RpcException>(() => Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = " " }).ResponseAsync);
        var summary = await Assert.ThrowsAsync<RpcException>(() => Client.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = "" }).ResponseAsync);
        var streamed = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(Client.StreamCitingPapers(new StreamCitingPapersRequest { HubId = "\t" })));

        Assert.All(new[] { listed, summary, streamed }, e => Assert.Equal((StatusCode.InvalidArgument, "hub_id: must not be empty"), (e.StatusCode, e.Status.Detail)));
    }

    [Fact]
    public async Task ListHubs_refuses_a_citing_papers_page_token_whatever_the_title_query()
    {
        var hub = (await Client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var papers = await Client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, PageSize = 1 });

        // Even with a title query that spells the papers' listing: the two listings' tokens never pass for one another.
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ListHubsAsync(new ListHubsRequest { TitleQuery = "papers:" + hub.Id, PageToken = papers.NextPageToken }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "page_token: was issued for a request with other parameters; keep them unchanged while paging"), (e.StatusCode, e.Status.Detail));
    }

    internal static async Task<List<CitingPaper>> ReadAllAsync(AsyncServerStreamingCall<StreamCitingPapersResponse> call)
    {
        using (call)
        {
            var papers = new List<CitingPaper>();
            await foreach (var item in call.ResponseStream.ReadAllAsync())
            {
                papers.Add(item.CitingPaper);
            }
            return papers;
        }
    }
}

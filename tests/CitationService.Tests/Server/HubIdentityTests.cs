using CitationService.Contracts.V1;
using Grpc.Core;

namespace CitationService.Tests.Server;

/// <summary>One hub per cited work over gRPC: every form of a Pith address, filtered views, ambiguous look-ups; on each engine.</summary>
public abstract class HubIdentityTests(TestEngine engine) : FreshServerTests(engine)
{
    public sealed class OnSqlite() : HubIdentityTests(TestEngine.Sqlite);

    public sealed class OnPostgreSql() : HubIdentityTests(TestEngine.PostgreSql);

    private const string PythiaUuid = "745b4799-6ac4-4abe-924f-78bf0a08ffa1";
    private const string PythiaUrl = "https://pith.science/citations/" + PythiaUuid;

    private static string SeedPage(string file) => File.ReadAllText(Path.Combine(RepositoryPaths.Seeds, file));

    private async Task<IngestHubPageResponse> IngestAsync(string file, string url) =>
        await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = SeedPage(file), SourceUrl = url });

    [Fact]
    public async Task IngestHubPage_stores_one_hub_when_a_page_comes_from_several_forms_of_its_address()
    {
        var first = await IngestAsync("pith-pythia-suite.txt", "https://www.pith.science/citations/" + PythiaUuid);
        var slash = await IngestAsync("pith-pythia-suite.txt", PythiaUrl + "/");
        var filtered = await IngestAsync("pith-pythia-suite.txt", PythiaUrl + "?cat=cs.CL");

        Assert.Equal((false, false), (slash.HubCreated, filtered.HubCreated));
        Assert.Equal([first.HubId, first.HubId], new[] { slash.HubId, filtered.HubId });
        var hubs = await Hubs.ListHubsAsync(new ListHubsRequest());
        Assert.Equal((PythiaUuid, PythiaUrl), (hubs.Hubs.Single().PithId, hubs.Hubs[0].SourceUrl));
        var summary = await Hubs.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = first.HubId });
        Assert.Equal(("cat=cs.CL", 30), (summary.FilteredViews.Single().Filter, summary.FilteredViews[0].StatedCitingCount));
    }

    [Theory]
    [InlineData(PythiaUrl)]
    [InlineData("https://www.pith.science/citations/745B4799-6AC4-4ABE-924F-78BF0A08FFA1/citers.json")]
    [InlineData("pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1.json?year=2024")]
    public async Task GetHub_finds_a_hub_by_any_form_of_its_pith_address(string url)
    {
        var ingested = await IngestAsync("pith-pythia-suite.txt", PythiaUrl);

        var hub = (await Hubs.GetHubAsync(new GetHubRequest { SourceUrl = url })).Hub;

        Assert.Equal((ingested.HubId, PythiaUuid), (hub.Id, hub.PithId));
    }

    [Fact]
    public async Task GetHub_answers_failed_precondition_with_every_id_when_several_hubs_share_the_title()
    {
        var first = await IngestAsync("000_bb0c471c89efa636.txt", "https://pith.science/citations/0d865a62-6376-4606-8d3a-eeb3b6e9ba6d");
        var second = await IngestAsync("000_bb0c471c89efa636.txt", "https://pith.science/citations/1acbad69-7ef6-44dc-b2ad-73048583eefc");

        var error = await Assert.ThrowsAsync<RpcException>(() => Hubs.GetHubAsync(new GetHubRequest
        {
            Title = "Negative Preference Optimization: From Catastrophic Collapse to Effective Unlearning",
        }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal(
            // The title is quoted to its first 64 characters.
            $"title 'Negative Preference Optimization: From Catastrophic Collapse to …' (84 characters): 2 hubs match: {first.HubId}, {second.HubId}; look one up by hub_id",
            error.Status.Detail);
        Assert.Equal(first.HubId, (await Hubs.GetHubAsync(new GetHubRequest { HubId = first.HubId })).Hub.Id);
    }

    [Fact]
    public async Task IngestHubPage_stores_one_hub_per_uuid_from_the_json_forms_and_their_address_variants()
    {
        const string citersUuid = "0d865a62-6376-4606-8d3a-eeb3b6e9ba6d";
        var citers = SeedPages.Json(SeedPages.CitersJson);
        var work = SeedPages.Json(SeedPages.ChainOfThoughtJson);

        var first = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = citers, SourceUrl = $"https://pith.science/citations/{citersUuid}/citers.json" });
        var again = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = citers, SourceUrl = $"https://www.pith.science/citations/{citersUuid}?cat=cs.CL" });
        // The work document names its own hub when no address comes with it.
        var cot = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = work });
        var cotByAddress = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = work, SourceUrl = "https://www.pith.science/citations/d1cf6693-a082-403c-ada9-dac7b96341f9.json" });

        Assert.Equal((first.HubId, false, cot.HubId, false), (again.HubId, again.HubCreated, cotByAddress.HubId, cotByAddress.HubCreated));
        var hubs = (await Hubs.ListHubsAsync(new ListHubsRequest())).Hubs.ToDictionary(h => h.PithId);
        Assert.Equal([citersUuid, "d1cf6693-a082-403c-ada9-dac7b96341f9"], hubs.Keys.Order());
        Assert.Equal(("", first.CitingPapersAdded), (hubs[citersUuid].Title, hubs[citersUuid].StoredCitingCount));
        Assert.True(first.CitingPapersAdded > 0);
        Assert.Equal(("Chain-of-Thought Prompting Elicits Reasoning in Large Language Models", 2022, "2201.11903"), (hubs["d1cf6693-a082-403c-ada9-dac7b96341f9"].Title, hubs["d1cf6693-a082-403c-ada9-dac7b96341f9"].Year, hubs["d1cf6693-a082-403c-ada9-dac7b96341f9"].ArxivId));
    }

    [Fact]
    public async Task A_citers_json_papers_carry_their_context_and_pith_labels_and_the_summary_reports_agreement_with_them()
    {
        const string url = "https://pith.science/citations/0d865a62-6376-4606-8d3a-eeb3b6e9ba6d/citers.json";
        // The stored response is cut inside LoopUS's context: closed there, it is a complete document of two real items.
        var document = SeedPages.Json(SeedPages.CitersJson).TrimEnd() + "\"}]}";
        var ingested = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = document, SourceUrl = url });

        var papers = (await Hubs.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = ingested.HubId, PageSize = 100 })).CitingPapers;
        var summary = await Hubs.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = ingested.HubId });

        var loopUs = papers.Single(p => p.Title.StartsWith("LoopUS", StringComparison.Ordinal));
        Assert.StartsWith("(d)Replacing the decay gate with sigmoid gating", loopUs.CitationContext);
        Assert.Equal(1, loopUs.CitationContextCount);
        Assert.Equal(("background", "background", CitationRole.Background, CitationPolarity.Unspecified, url),
            (loopUs.SourceLabels.Role, loopUs.SourceLabels.Polarity, loopUs.SourceLabels.RoleLabel, loopUs.SourceLabels.PolarityLabel, loopUs.SourceLabels.From));
        Assert.Equal((0.9f, new DateTimeOffset(2026, 5, 10, 11, 5, 20, TimeSpan.Zero)), (loopUs.LinkConfidence, loopUs.SubmittedAt.ToDateTimeOffset()));
        var link = papers.Single(p => p.Title.StartsWith("Multilingual", StringComparison.Ordinal));
        Assert.Null(link.SourceLabels);
        // LoopUS's labels read its summary and its context; LINK has no context.
        Assert.Equal((LabelSource.SummaryAndCitationContext, LabelSource.Summary), (loopUs.LabelSource, link.LabelSource));
        // The summary's figure is the papers' own labels side by side.
        var compared = papers.Where(p => p.SourceLabels?.RoleLabel is > CitationRole.Unspecified && p.Role.Role != CitationRole.Unspecified).ToList();
        Assert.NotEmpty(compared);
        Assert.Equal(compared.Count, summary.RoleAgreement.Compared);
        Assert.Equal(compared.Count(p => p.Role.Role == p.SourceLabels.RoleLabel), summary.RoleAgreement.Agreed);
        Assert.Equal(0, summary.PolarityAgreement.Compared);
    }

    [Fact]
    public async Task ListHubs_pages_past_a_hub_without_a_title()
    {
        var untitled = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest
        {
            PageText = SeedPages.Json(SeedPages.CitersJson),
            SourceUrl = "https://pith.science/citations/0d865a62-6376-4606-8d3a-eeb3b6e9ba6d/citers.json",
        });
        var pythia = await IngestAsync("pith-pythia-suite.txt", PythiaUrl);

        var first = await Hubs.ListHubsAsync(new ListHubsRequest { PageSize = 1 });
        var second = await Hubs.ListHubsAsync(new ListHubsRequest { PageSize = 1, PageToken = first.NextPageToken });

        // The untitled hub sorts first: its page token's key starts with the empty title.
        Assert.Equal("", first.Hubs.Single().Title);
        Assert.Equal([untitled.HubId, pythia.HubId], new[] { first.Hubs.Single().Id, second.Hubs.Single().Id });
        Assert.Equal("", second.NextPageToken);
    }

    [Fact]
    public async Task GetHubSummary_counts_the_papers_below_the_configured_threshold_apart()
    {
        await Host.DisposeAsync();
        Host = ServerHost.Start(Database, seedDirectory: "", configure: web => web.UseSetting("Classification:ConfidenceThreshold", "0.95"));
        var ingested = await IngestAsync("000_bb0c471c89efa636.txt", "https://pith.science/citations/0d865a62-6376-4606-8d3a-eeb3b6e9ba6d");

        var papers = (await Hubs.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = ingested.HubId, PageSize = 100 })).CitingPapers;
        var summary = await Hubs.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = ingested.HubId });

        Assert.Equal(0.95f, summary.ConfidenceThreshold);
        var roles = papers.Select(p => p.Role).Where(r => r.Role != CitationRole.Unspecified).ToList();
        var polarities = papers.Select(p => p.Polarity).Where(p => p.Polarity != CitationPolarity.Unspecified).ToList();
        Assert.Equal(Counts(roles.Where(r => !r.LowConfidence).Select(r => r.Role)), summary.RoleCounts.Select(c => (c.Role, c.Count)));
        Assert.Equal(Counts(roles.Where(r => r.LowConfidence).Select(r => r.Role)), summary.LowConfidenceRoleCounts.Select(c => (c.Role, c.Count)));
        Assert.Equal(Counts(polarities.Where(p => !p.LowConfidence).Select(p => p.Polarity)), summary.PolarityCounts.Select(c => (c.Polarity, c.Count)));
        Assert.Equal(Counts(polarities.Where(p => p.LowConfidence).Select(p => p.Polarity)), summary.LowConfidencePolarityCounts.Select(c => (c.Polarity, c.Count)));
        // At 0.95 papers fall on both sides of the threshold.
        Assert.NotEmpty(summary.LowConfidenceRoleCounts);
        Assert.NotEmpty(summary.LowConfidencePolarityCounts);
        Assert.NotEmpty(summary.PolarityCounts);

        static List<(T, int)> Counts<T>(IEnumerable<T> labels) where T : struct, Enum =>
            labels.GroupBy(l => l).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => (g.Key, g.Count())).ToList();
    }

    [Fact]
    public async Task GetHubSummary_orders_labels_with_equal_counts_by_label()
    {
        // The NPO page cut down to two of its papers (without its representative papers, which are papers too),
        // one background and contrasting, one baseline and neutral, so that each count list holds two labels of
        // one paper each.
        var lines = SeedPage("000_bb0c471c89efa636.txt").Split('\n');
        var representative = Array.IndexOf(lines, "representative citing papers");
        string[] Entry(string title) => lines[(Array.IndexOf(lines, title) - 1)..(Array.IndexOf(lines, title) + 2)];
        var page = string.Join('\n', [.. lines[..representative], "citing papers explorer", .. Entry("Is your algorithm unlearning or untraining?"),
            .. Entry("DurableUn: Quantization-Induced Recovery Attacks in Machine Unlearning")]);
        var ingested = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = page });

        var papers = (await Hubs.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = ingested.HubId })).CitingPapers;
        var summary = await Hubs.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = ingested.HubId });

        Assert.Equal(2, papers.Count);
        Assert.Equal([1, 1], summary.RoleCounts.Select(c => c.Count));
        Assert.Equal([1, 1], summary.PolarityCounts.Select(c => c.Count));
        Assert.Equal(papers.Select(p => p.Role.Role).Order(), summary.RoleCounts.Select(c => c.Role));
        Assert.Equal(papers.Select(p => p.Polarity.Polarity).Order(), summary.PolarityCounts.Select(c => c.Polarity));
    }

    [Fact]
    public async Task IngestHubPage_refuses_a_json_document_whose_work_is_not_the_hub_its_address_names()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Ingestion.IngestHubPageAsync(new IngestHubPageRequest
        {
            PageText = SeedPages.Json(SeedPages.ChainOfThoughtJson),
            SourceUrl = "https://pith.science/citations/240c67fe-d14d-4520-91c1-38a4e272ca19.json",
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("240c67fe-d14d-4520-91c1-38a4e272ca19", error.Status.Detail);
        Assert.Empty((await Hubs.ListHubsAsync(new ListHubsRequest())).Hubs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task GetHub_answers_invalid_argument_naming_source_url_when_it_is_empty(string url)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Hubs.GetHubAsync(new GetHubRequest { SourceUrl = url }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("source_url:", error.Status.Detail);
    }

    [Fact]
    public async Task GetHub_answers_not_found_for_an_address_of_a_hub_not_stored()
    {
        await IngestAsync("pith-pythia-suite.txt", PythiaUrl);

        var error = await Assert.ThrowsAsync<RpcException>(() => Hubs.GetHubAsync(new GetHubRequest
        {
            SourceUrl = "https://pith.science/citations/58f6ddcc-acc4-4862-8a76-e8a22f55b6d1",
        }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }
}

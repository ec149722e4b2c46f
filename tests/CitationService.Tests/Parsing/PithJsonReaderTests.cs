using CitationService.Core.Pages;

namespace CitationService.Tests.Parsing;

/// <summary>
/// Pith's JSON renderings: the three stored responses (each cut at ~2,000 characters), complete documents
/// built from their real items, the same documents cut at every position, and malformed JSON.
/// </summary>
public class PithJsonReaderTests
{
    [Fact]
    public void Parse_reads_the_work_and_hub_state_of_a_work_json()
    {
        var page = HubPageParser.Parse(SeedPages.Json(SeedPages.ChainOfThoughtJson));

        Assert.True(page.DescribesHub);
        Assert.Equal("Chain-of-Thought Prompting Elicits Reasoning in Large Language Models", page.Title);
        Assert.Equal("d1cf6693-a082-403c-ada9-dac7b96341f9", page.SourceId);
        Assert.Equal("2201.11903", page.ArxivId);
        Assert.Equal("", page.Doi);
        Assert.Equal("Jason Wei, Xuezhi Wang, Dale Schuurmans, Maarten Bosma, Brian Ichter, Fei Xia", page.Authors);
        Assert.Equal(2022, page.Year);
        Assert.Equal("cs.CL", page.Venue);
        Assert.StartsWith("We explore how generating a chain of thought -- a series of intermediate reasoning steps", page.Abstract);
        Assert.EndsWith("surpassing even finetuned GPT-3 with a verifier.", page.Abstract);
        Assert.Equal("super hub", page.TierLabel);
        Assert.Equal(240, page.StatedCitingCount);
        Assert.Empty(page.CitingPapers);
    }

    [Fact]
    public void Parse_reads_a_mega_hub_and_unescapes_its_abstract()
    {
        var page = HubPageParser.Parse(SeedPages.Json(SeedPages.PpoJson));

        Assert.Equal("Proximal Policy Optimization Algorithms", page.Title);
        Assert.Equal("240c67fe-d14d-4520-91c1-38a4e272ca19", page.SourceId);
        Assert.Equal("1707.06347", page.ArxivId);
        Assert.Equal("John Schulman, Filip Wolski, Prafulla Dhariwal, Alec Radford, Oleg Klimov", page.Authors);
        Assert.Equal(2017, page.Year);
        Assert.Equal("cs.LG", page.Venue);
        Assert.Contains("optimizing a \"surrogate\" objective function", page.Abstract, StringComparison.Ordinal);
        Assert.Equal("mega hub", page.TierLabel);
        Assert.Equal(1375, page.StatedCitingCount);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData(" \t\n\n")]
    public void Parse_reads_a_cut_document_the_same_when_its_file_ends_with_a_line_break(string ending)
    {
        var json = SeedPages.Json(SeedPages.CitersJson).TrimEnd();

        var page = HubPageParser.Parse(json + ending);

        var expected = HubPageParser.Parse(json);
        Assert.Equal(expected.CitingPapers.Select(p => p.Title), page.CitingPapers.Select(p => p.Title));
        Assert.Equal(expected.Warnings, page.Warnings);
        Assert.NotEmpty(page.CitingPapers);
    }

    [Fact]
    public void Parse_warns_that_a_stored_work_json_is_cut_off_and_read_no_items()
    {
        var page = HubPageParser.Parse(SeedPages.Json(SeedPages.ChainOfThoughtJson));

        var warning = Assert.Single(page.Warnings);
        Assert.Equal("the JSON document is cut off inside the hub's state (its complete fields were kept): 0 complete item(s) read", warning);
    }

    [Fact]
    public void Parse_reads_the_complete_items_of_a_citers_json_and_nothing_of_the_hub()
    {
        var page = HubPageParser.Parse(SeedPages.Json(SeedPages.CitersJson));

        Assert.False(page.DescribesHub);
        Assert.Equal(("", "", "", ""), (page.Title, page.Abstract, page.TierLabel, page.SourceId));
        Assert.Equal(28, page.StatedCitingCount);
        // The second item is cut off inside its context text.
        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal("Multilingual Knowledge Transfer under Data Constraints via Lexical Interventions", paper.Title);
        Assert.StartsWith("LINK improves cross-lingual knowledge transfer via lexical substitutions", paper.Summary);
        Assert.Equal("2605.23885", paper.ArxivId);
        Assert.Equal("cs.CL", paper.PrimaryCategory);
        Assert.Equal(new DateOnly(2026, 5, 22), paper.SubmittedDate);
        Assert.Equal(new DateTimeOffset(2026, 5, 22, 17, 45, 49, TimeSpan.Zero), paper.SubmittedAt);
        Assert.Equal("UNVERDICTED", paper.Verdict);
        Assert.Equal(6.0f, paper.NoveltyScore);
        Assert.Equal(1, paper.ReferenceCount);
        Assert.Equal(0.98f, paper.LinkConfidence);
        Assert.Equal(0, paper.ContextCount);
        Assert.Null(paper.ContextText);
        Assert.Equal(("", ""), (paper.SourceRole, paper.SourcePolarity));
        Assert.False(paper.Representative);
    }

    [Fact]
    public void Parse_warns_that_a_citers_json_is_cut_off_inside_an_item_and_how_many_items_it_read()
    {
        var page = HubPageParser.Parse(SeedPages.Json(SeedPages.CitersJson));

        var warning = Assert.Single(page.Warnings);
        Assert.Equal("the JSON document is cut off inside item 2, which was dropped: 1 complete item(s) read (it states a total of 28)", warning);
    }

    [Fact]
    public void Parse_reads_a_complete_citers_json_without_warnings()
    {
        var (prefix, first, _) = CitersParts();

        var page = HubPageParser.Parse(prefix + first + "]}");

        Assert.Equal("Multilingual Knowledge Transfer under Data Constraints via Lexical Interventions", Assert.Single(page.CitingPapers).Title);
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_keeps_pith_s_own_role_polarity_and_context_of_a_citers_item()
    {
        var page = HubPageParser.Parse(CompleteCiters());

        Assert.Equal(2, page.CitingPapers.Count);
        var paper = page.CitingPapers[1];
        Assert.Equal("LoopUS: Recasting Pretrained LLMs into Looped Latent Refinement Models", paper.Title);
        Assert.Equal(("background", "background"), (paper.SourceRole, paper.SourcePolarity));
        Assert.Equal(1, paper.ContextCount);
        Assert.StartsWith("(d)Replacing the decay gate with sigmoid gating also makes optimization less stable", paper.ContextText);
        Assert.EndsWith("than the standard LoopUS t", paper.ContextText);
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_lower_cases_pith_s_role_and_polarity_labels()
    {
        var (prefix, first, _) = CitersParts();
        var item = first.Replace("\"top_context_role\":null", "\"top_context_role\":\"Method\"", StringComparison.Ordinal)
            .Replace("\"top_context_polarity\":null", "\"top_context_polarity\":\"Supporting\"", StringComparison.Ordinal);

        var paper = Assert.Single(HubPageParser.Parse(prefix + item + "]}").CitingPapers);

        Assert.Equal(("method", "supporting"), (paper.SourceRole, paper.SourcePolarity));
    }

    [Fact]
    public void Parse_merges_an_item_listed_twice_into_the_first_and_warns()
    {
        var (prefix, first, _) = CitersParts();
        var title = "Multilingual Knowledge Transfer under Data Constraints via Lexical Interventions";
        var again = first.Replace(title, title.ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("\"context_text\":null", "\"context_text\":\"A second listing.\"", StringComparison.Ordinal);

        var page = HubPageParser.Parse(prefix + first + "," + again + "]}");

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal(title, paper.Title);
        Assert.Null(paper.ContextText);
        Assert.Contains(page.Warnings, w => w.StartsWith("1 duplicate citing-paper listing(s) merged", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_keeps_only_complete_items_when_a_citers_json_is_cut_at_any_position()
    {
        var (prefix, first, _) = CitersParts();
        var full = CompleteCiters();
        var expected = HubPageParser.Parse(full).CitingPapers;
        // Each item is complete once its closing brace is in.
        int[] itemEnds = [prefix.Length + first.Length, full.Length - "]}".Length];

        for (var cut = 0; cut <= full.Length; cut++)
        {
            var complete = itemEnds.Count(end => end <= cut);
            HubPage page;
            try
            {
                page = HubPageParser.Parse(full[..cut]);
            }
            catch (HubPageFormatException)
            {
                Assert.True(complete == 0, $"cut at {cut}: refused with {complete} complete items");
                continue;
            }
            Assert.True(complete > 0, $"cut at {cut}: parsed with no complete item");
            Assert.Equal(expected.Take(complete), page.CitingPapers);
            if (cut < full.Length)
            {
                Assert.Contains(page.Warnings, w => w.StartsWith("the JSON document is cut off", StringComparison.Ordinal)
                    && w.Contains($": {complete} complete item(s) read", StringComparison.Ordinal));
            }
        }
    }

    [Theory]
    [InlineData(SeedPages.ChainOfThoughtJson)]
    [InlineData(SeedPages.PpoJson)]
    public void Parse_keeps_exactly_the_complete_work_fields_when_a_work_json_is_cut_at_any_position(string name)
    {
        var full = SeedPages.Json(name);
        var expected = HubPageParser.Parse(full);
        (string Key, Func<HubPage, object?> Field)[] fields =
        [
            ("id", p => p.SourceId), ("arxiv_id", p => p.ArxivId), ("title", p => p.Title), ("authors_text", p => p.Authors),
            ("year", p => p.Year), ("venue", p => p.Venue), ("abstract", p => p.Abstract), ("tier", p => p.TierLabel),
            ("pith_inbound_count", p => p.StatedCitingCount),
        ];
        var idEnd = ValueEnd(full, "id");

        for (var cut = 0; cut <= full.Length; cut++)
        {
            HubPage page;
            try
            {
                page = HubPageParser.Parse(full[..cut]);
            }
            catch (HubPageFormatException)
            {
                Assert.True(cut < idEnd, $"cut at {cut}: refused with the work id complete");
                continue;
            }
            Assert.True(cut >= idEnd, $"cut at {cut}: parsed without a work id or title");
            foreach (var (key, field) in fields)
            {
                // Complete (kept whole) or not (absent): never part of a value.
                var kept = cut >= ValueEnd(full, key);
                Assert.True(Equals(field(page), kept ? field(expected) : Empty(field(expected))),
                    $"cut at {cut}: {key} is '{field(page)}', expected {(kept ? "the full value" : "nothing")}");
            }
            Assert.Contains(page.Warnings, w => w.StartsWith("the JSON document is cut off", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("{\"work\":}")]
    [InlineData("{\"work\":{\"id\":\"x\",\"title\":\"A\"}}}")]
    [InlineData("{\"work\":{\"id\":\"x\",\"title\":\"A\"}} and more")]
    [InlineData("{\"total\":1 \"items\":[]}")]
    [InlineData("{\"items\":[{\"paper_title\":\"A\",}]}")]
    [InlineData("{'work':{'title':'A'}}")]
    [InlineData("{\"work\":{\"title\":\"A\\x\"}}")]
    [InlineData("{\"work\":{\"title\":\"lone surrogate \\ud800\"}}")]
    [InlineData("{\"items\":[{\"paper_title\":\"A\", \"p\\ud800\":1}]}")]
    [InlineData("{\"items\":[{\"paper_title\":\"A\"}] // comment\n}")]
    public void Parse_rejects_malformed_json_with_a_format_exception(string json)
    {
        var ex = Assert.Throws<HubPageFormatException>(() => HubPageParser.Parse(json));

        Assert.StartsWith("not a hub page: malformed JSON: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_rejects_json_nested_deeper_than_the_reader_allows()
    {
        var json = "{\"work\":" + new string('[', 100) + new string(']', 100) + "}";

        var ex = Assert.Throws<HubPageFormatException>(() => HubPageParser.Parse(json));

        Assert.StartsWith("not a hub page: malformed JSON: ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "neither a 'work' object")]
    [InlineData("{\"results\":[{\"paper_title\":\"A\"}]}", "neither a 'work' object")]
    [InlineData("{\"work\":null}", "neither a 'work' object")]
    [InlineData("{\"wo", "neither a 'work' object")]
    [InlineData("{\"work\":{\"year\":2022,\"title\":null}}", "no work title or id and no citing-paper item")]
    [InlineData("{\"total\":0,\"items\":[]}", "no work title or id and no citing-paper item")]
    [InlineData("{\"total\":3,\"items\":[{\"ref_index\":2}]}", "no work title or id and no citing-paper item")]
    [InlineData("{\"total\":3,\"items\":[{\"paper_title\":\"A\"", "no work title or id and no citing-paper item before it is cut off")]
    public void Parse_rejects_json_that_is_neither_form_or_gives_nothing_to_store(string json, string reason)
    {
        var ex = Assert.Throws<HubPageFormatException>(() => HubPageParser.Parse(json));

        Assert.StartsWith("not a hub page: the JSON document ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hub", "hub")]
    [InlineData("super_hub", "super hub")]
    [InlineData("mega_hub", "mega hub")]
    public void Parse_writes_the_tier_in_the_text_pages_wording(string tier, string label)
    {
        var page = HubPageParser.Parse($"{{\"work\":{{\"id\":\"x\",\"title\":\"T\"}},\"hub\":{{\"state\":{{\"tier\":\"{tier}\"}}}}}}");

        Assert.Equal(label, page.TierLabel);
    }

    [Theory]
    [InlineData("{\"work\":{\"id\":\"x\",\"pith_inbound_count\":5},\"hub\":{\"state\":{\"pith_inbound_count\":7}}}", 7)]
    [InlineData("{\"work\":{\"id\":\"x\",\"pith_inbound_count\":5},\"hub\":{\"state\":{\"tier\":\"hub\"}}}", 5)]
    [InlineData("{\"work\":{\"id\":\"x\",\"pith_inbound_count\":-5}}", null)]
    public void Parse_states_the_hub_state_s_count_before_the_work_s(string json, int? count)
    {
        Assert.Equal(count, HubPageParser.Parse(json).StatedCitingCount);
    }

    [Fact]
    public void Parse_reads_json_after_leading_whitespace_and_a_byte_order_mark()
    {
        var page = HubPageParser.Parse("\uFEFF \r\n\t" + CompleteCiters());

        Assert.Equal(2, page.CitingPapers.Count);
    }

    [Fact]
    public void Parse_reads_text_as_a_text_page_when_json_sits_after_its_first_character()
    {
        const string Json = "{\"work\":{\"id\":\"x\",\"title\":\"T\"}}";

        var page = HubPageParser.Parse(PageText.Compact("citing papers explorer", "-", Json, "Its summary."));

        Assert.Equal("A Hub Title", page.Title);
        Assert.Equal(Json, Assert.Single(page.CitingPapers).Title);
    }

    [Theory]
    [InlineData("authors_text", PageLimits.Authors, "the author list is")]
    [InlineData("venue", PageLimits.Label, "the venue is")]
    [InlineData("id", PageLimits.Identifier, "the work id is")]
    [InlineData("doi", PageLimits.Identifier, "the DOI is")]
    public void Parse_refuses_a_work_field_over_its_limit(string key, int limit, string message)
    {
        var ok = HubPageParser.Parse($"{{\"work\":{{\"title\":\"T\",\"{key}\":\"{new string('x', limit)}\"}}}}");
        Assert.Equal("T", ok.Title);

        var ex = Assert.Throws<HubPageFormatException>(() =>
            HubPageParser.Parse($"{{\"work\":{{\"title\":\"T\",\"{key}\":\"{new string('x', limit + 1)}\"}}}}"));

        Assert.Equal($"{message} {limit + 1} characters; the limit is {limit}", ex.Message);
    }

    [Theory]
    [InlineData("context_text", PageLimits.ContextText, "context text")]
    [InlineData("citing_arxiv_id", PageLimits.Identifier, "arXiv id")]
    [InlineData("primary_cat", PageLimits.Label, "primary category")]
    [InlineData("verdict", PageLimits.Label, "verdict")]
    [InlineData("top_context_role", PageLimits.Label, "Pith role")]
    [InlineData("top_context_polarity", PageLimits.Label, "Pith polarity")]
    public void Parse_refuses_a_citers_item_field_over_its_limit(string key, int limit, string field)
    {
        string Item(int length) => $"{{\"items\":[{{\"paper_title\":\"A\",\"{key}\":\"{new string('x', length)}\"}}]}}";
        Assert.Single(HubPageParser.Parse(Item(limit)).CitingPapers);

        var ex = Assert.Throws<HubPageFormatException>(() => HubPageParser.Parse(Item(limit + 1)));

        Assert.Equal($"the citing paper 1's {field} is {limit + 1} characters; the limit is {limit}", ex.Message);
    }

    /// <summary>The stored citers.json split at its items: what precedes them, the first item (complete), the second (cut off).</summary>
    internal static (string Prefix, string First, string SecondCut) CitersParts()
    {
        var json = SeedPages.Json(SeedPages.CitersJson);
        var first = json.IndexOf("{\"citing_arxiv_id\"", StringComparison.Ordinal);
        var second = json.IndexOf(",{\"citing_arxiv_id\"", first, StringComparison.Ordinal);
        return (json[..first], json[first..second], json[(second + 1)..]);
    }

    /// <summary>A complete citers.json of the stored items: the first as stored, the second closed where the copy is cut (inside its context text).</summary>
    private static string CompleteCiters()
    {
        var (prefix, first, second) = CitersParts();
        Assert.EndsWith("the standard LoopUS t", second);
        return prefix + first + "," + second + "\"}]}";
    }

    /// <summary>
    /// Where the first <c>"key":</c> value of a document ends: after a string's closing quote, or after the
    /// character that ends a number or literal (until then it could go on).
    /// </summary>
    private static int ValueEnd(string json, string key)
    {
        var i = json.IndexOf($"\"{key}\":", StringComparison.Ordinal);
        Assert.True(i >= 0, $"no \"{key}\" in the document");
        i += key.Length + 3;
        if (json[i] != '"')
        {
            var end = json.IndexOfAny([',', '}'], i);
            return end < 0 ? int.MaxValue : end + 1;
        }
        for (i++; i < json.Length; i++)
        {
            if (json[i] == '\\')
            {
                i++;
            }
            else if (json[i] == '"')
            {
                return i + 1;
            }
        }
        return int.MaxValue;
    }

    private static object? Empty(object? value) => value is string ? "" : null;
}

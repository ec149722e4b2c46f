using CitationService.Core.Pages;

namespace CitationService.Tests.Parsing;

/// <summary>
/// The JSON reader member by member, on documents built from the stored responses: the chain-of-thought
/// <c>work</c> object and <c>hub.state</c> (seeds/json/), and the items of the stored <c>citers.json</c>,
/// with one member added, changed or repeated, or the document cut between members.
/// </summary>
public class PithJsonReaderDocumentTests
{
    private const string CotTitle = "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models";
    private const string CotId = "d1cf6693-a082-403c-ada9-dac7b96341f9";
    private const string FirstItemTitle = "Multilingual Knowledge Transfer under Data Constraints via Lexical Interventions";

    [Fact]
    public void Parse_keeps_the_first_work_object_and_the_first_items_list_when_a_document_repeats_them()
    {
        var (_, first, _) = PithJsonReaderTests.CitersParts();
        var other = first.Replace(FirstItemTitle, "Another Citing Paper", StringComparison.Ordinal);

        var page = HubPageParser.Parse("{\"work\":" + Work() + ",\"work\":{\"id\":\"y\",\"title\":\"Another Work\"},"
            + "\"items\":[" + first + "],\"items\":[" + other + "]}");

        Assert.Equal((CotTitle, CotId), (page.Title, page.SourceId));
        Assert.Equal(FirstItemTitle, Assert.Single(page.CitingPapers).Title);
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_keeps_the_first_of_two_equal_member_names()
    {
        var page = HubPageParser.Parse("{\"work\":{\"id\":\"x\",\"title\":\"First Title\",\"title\":\"Second Title\"}}");

        Assert.Equal("First Title", page.Title);
    }

    [Fact]
    public void Parse_skips_a_hub_that_is_a_list_and_an_items_member_that_is_an_object()
    {
        var page = HubPageParser.Parse("{\"work\":" + Work() + ",\"hub\":[{\"state\":" + State() + "}],"
            + "\"items\":{\"paper_title\":\"Not A List\"}}");

        Assert.Equal(CotTitle, page.Title);
        Assert.Equal(("", null), (page.TierLabel, page.StatedCitingCount));
        Assert.Empty(page.CitingPapers);
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_reads_the_tier_and_count_of_the_hub_s_state_only()
    {
        // The same members in another object of the hub, or in a state that is a list, are not the hub's state.
        var page = HubPageParser.Parse("{\"work\":" + Work() + ",\"hub\":{\"history\":" + State() + ",\"state\":[" + State() + "]}}");

        Assert.Equal(("", null), (page.TierLabel, page.StatedCitingCount));
        Assert.Empty(page.Warnings);

        var withState = HubPageParser.Parse("{\"work\":" + Work() + ",\"hub\":{\"history\":{\"tier\":\"hub\"},\"state\":" + State() + "}}");
        Assert.Equal(("super hub", 240), (withState.TierLabel, withState.StatedCitingCount));
    }

    [Theory]
    [InlineData("{\"work\":WORK,", "the JSON document is cut off: 0 complete item(s) read")]
    [InlineData("{\"work\":WORK,\"hub\":{\"state\":STATE,", "the JSON document is cut off inside the hub object: 0 complete item(s) read")]
    [InlineData("{\"work\":WORK,\"hub\":{\"state\":STATE},", "the JSON document is cut off: 0 complete item(s) read")]
    public void Parse_names_the_object_a_work_json_is_cut_off_in(string json, string warning)
    {
        var page = HubPageParser.Parse(json.Replace("WORK", Work(), StringComparison.Ordinal).Replace("STATE", State(), StringComparison.Ordinal));

        Assert.Equal(CotTitle, page.Title);
        Assert.Equal(warning, Assert.Single(page.Warnings));
    }

    [Theory]
    [InlineData("FIRST,", "the JSON document is cut off in the items list: 1 complete item(s) read (it states a total of 28)")]
    [InlineData("FIRST],", "the JSON document is cut off: 1 complete item(s) read (it states a total of 28)")]
    [InlineData("FIRST,[1,", "the JSON document is cut off in the items list: 1 complete item(s) read (it states a total of 28)|item 2 is not an object and was skipped")]
    public void Parse_names_where_a_citers_json_is_cut_off_between_items(string rest, string warnings)
    {
        var (prefix, first, _) = PithJsonReaderTests.CitersParts();

        var page = HubPageParser.Parse(prefix + rest.Replace("FIRST", first, StringComparison.Ordinal));

        Assert.Equal(FirstItemTitle, Assert.Single(page.CitingPapers).Title);
        Assert.Equal(warnings.Split('|'), page.Warnings);
    }

    [Fact]
    public void Parse_keeps_the_complete_items_of_a_citers_json_cut_off_inside_a_list_in_an_item()
    {
        // The reader stops on the list's first token; nothing after it may be read as the document's own members.
        var (prefix, first, _) = PithJsonReaderTests.CitersParts();

        var page = HubPageParser.Parse(prefix + first + ",{\"paper_title\":\"B\",\"x\":[1,2");

        Assert.Equal(FirstItemTitle, Assert.Single(page.CitingPapers).Title);
        Assert.Equal(["the JSON document is cut off inside item 2, which was dropped: 1 complete item(s) read (it states a total of 28)"], page.Warnings);
    }

    [Fact]
    public void Parse_keeps_the_complete_fields_of_a_work_object_cut_off_inside_a_list()
    {
        var page = HubPageParser.Parse("{\"work\":{\"id\":\"x\",\"title\":\"T\",\"x\":[1,2");

        Assert.Equal(("T", "x"), (page.Title, page.SourceId));
        Assert.Equal(["the JSON document is cut off inside the work object (its complete fields were kept): 0 complete item(s) read"], page.Warnings);
    }

    [Theory]
    [InlineData("{\"work\":{\"id\":\"x\",\"title\":\"T\",", "the JSON document is cut off inside the work object (its complete fields were kept): 0 complete item(s) read")]
    [InlineData("{\"work\":{\"id\":\"x\",\"title\":\"T\"},\"items\":[", "the JSON document is cut off in the items list: 0 complete item(s) read")]
    public void Parse_names_where_a_document_with_a_work_object_is_cut_off(string json, string warning)
    {
        var page = HubPageParser.Parse(json);

        Assert.Equal("T", page.Title);
        Assert.Equal(warning, Assert.Single(page.Warnings));
    }

    [Fact]
    public void Parse_states_the_work_s_count_before_a_total()
    {
        var page = HubPageParser.Parse("{\"work\":{\"id\":\"x\",\"pith_inbound_count\":5},\"total\":9}");

        Assert.Equal(5, page.StatedCitingCount);
    }

    [Theory]
    [InlineData("{}", "not a hub page: the JSON document has neither a 'work' object (Pith's <uuid>.json) nor an 'items' list (<uuid>/citers.json)")]
    [InlineData("{\"total\":0,\"items\":[]}", "not a hub page: the JSON document gives no work title or id and no citing-paper item")]
    [InlineData("{\"total\":3,", "not a hub page: the JSON document has neither a 'work' object (Pith's <uuid>.json) nor an 'items' list (<uuid>/citers.json) before it is cut off")]
    public void Parse_says_whether_a_json_document_it_rejects_is_cut_off(string json, string message)
    {
        var ex = Assert.Throws<HubPageFormatException>(() => HubPageParser.Parse(json));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Parse_skips_items_that_are_not_objects_or_have_no_title_or_summary_and_warns_with_their_number()
    {
        var (prefix, first, _) = PithJsonReaderTests.CitersParts();

        var page = HubPageParser.Parse(prefix + "null,[\"a\",{\"b\":1}]," + first + ",{\"ref_index\":2,\"paper_title\":null}]}");

        Assert.Equal(FirstItemTitle, Assert.Single(page.CitingPapers).Title);
        Assert.Equal(
        [
            "item 1 is not an object and was skipped",
            "item 2 is not an object and was skipped",
            "item 4 has neither a paper_title nor a one_line_summary and was skipped",
        ], page.Warnings);
    }

    [Fact]
    public void Parse_keeps_an_untitled_item_by_its_summary_and_leaves_empty_text_members_absent()
    {
        var (prefix, first, _) = PithJsonReaderTests.CitersParts();
        var untitled = first.Replace("\"paper_title\":\"" + FirstItemTitle + "\"", "\"paper_title\":null", StringComparison.Ordinal)
            .Replace("\"context_text\":null", "\"context_text\":\"\"", StringComparison.Ordinal);
        var noSummary = first.Replace("\"one_line_summary\":\"", "\"one_line_summary\":\"\",\"x\":\"", StringComparison.Ordinal);

        var page = HubPageParser.Parse(prefix + untitled + "," + noSummary + "]}");

        Assert.Equal(2, page.CitingPapers.Count);
        var byItsSummary = page.CitingPapers[0];
        Assert.Equal("", byItsSummary.Title);
        Assert.StartsWith("LINK improves cross-lingual knowledge transfer", byItsSummary.Summary);
        Assert.Null(byItsSummary.ContextText);
        Assert.Equal((FirstItemTitle, (string?)null), (page.CitingPapers[1].Title, page.CitingPapers[1].Summary));
        Assert.Empty(page.Warnings);
    }

    [Theory]
    [InlineData("2026-05-22", null, "2026-05-22")]
    [InlineData("2026-05-22T23:30:00-05:00", "2026-05-22T23:30:00-05:00", "2026-05-22")]
    public void Parse_reads_a_submitted_date_with_or_without_its_time_and_keeps_the_date_as_written(string submitted, string? at, string date)
    {
        var page = HubPageParser.Parse(CitersWithFirstItem("\"submitted_at\":\"2026-05-22T17:45:49+00:00\"", $"\"submitted_at\":\"{submitted}\""));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal(at is null ? null : DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), paper.SubmittedAt);
        Assert.Equal(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), paper.SubmittedDate);
        Assert.Empty(page.Warnings);
    }

    [Theory]
    [InlineData("\"submitted_at\":null")]
    [InlineData("\"submitted_at\":\" \"")]
    [InlineData("\"x\":0")]
    public void Parse_leaves_the_dates_of_an_item_without_a_submitted_at_empty_without_a_warning(string replacement)
    {
        var page = HubPageParser.Parse(CitersWithFirstItem("\"submitted_at\":\"2026-05-22T17:45:49+00:00\"", replacement));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal((null, null), (paper.SubmittedAt, paper.SubmittedDate));
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_ignores_a_submitted_at_that_is_not_a_date_and_warns()
    {
        var page = HubPageParser.Parse(CitersWithFirstItem("\"submitted_at\":\"2026-05-22T17:45:49+00:00\"", "\"submitted_at\":\"last May\""));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal((null, null), (paper.SubmittedAt, paper.SubmittedDate));
        Assert.Equal("item 1's submitted_at 'last May' is not a date and was ignored", Assert.Single(page.Warnings));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("3.0", 3)]
    [InlineData("2147483647", 2147483647)]
    [InlineData("2147483648", null)]
    [InlineData("3.5", null)]
    [InlineData("-1", null)]
    [InlineData("\"3\"", null)]
    public void Parse_reads_a_count_only_when_it_is_a_whole_number_from_0_to_int_max(string json, int? count)
    {
        var page = HubPageParser.Parse(CitersWithFirstItem("\"ref_count\":1", "\"ref_count\":" + json));

        Assert.Equal(count, Assert.Single(page.CitingPapers).ReferenceCount);
    }

    [Theory]
    [InlineData("0.5", 0.5f)]
    [InlineData("1e999", null)]
    [InlineData("\"0.98\"", null)]
    [InlineData("null", null)]
    public void Parse_reads_a_confidence_only_when_it_is_a_finite_number(string json, float? confidence)
    {
        var page = HubPageParser.Parse(CitersWithFirstItem("\"confidence\":0.98", "\"confidence\":" + json));

        Assert.Equal(confidence, Assert.Single(page.CitingPapers).LinkConfidence);
    }

    [Theory]
    [InlineData("1e10")]
    [InlineData("-3")]
    public void Parse_ignores_a_stated_count_out_of_range_and_warns(string count)
    {
        var page = HubPageParser.Parse("{\"work\":" + Work() + ",\"hub\":{\"state\":"
            + State().Replace("\"pith_inbound_count\":240", "\"pith_inbound_count\":" + count, StringComparison.Ordinal) + "}}");

        Assert.Null(page.StatedCitingCount);
        Assert.Equal($"the stated count '{count}' (pith_inbound_count) is out of range and was ignored", Assert.Single(page.Warnings));
    }

    [Fact]
    public void Parse_falls_back_to_the_work_s_count_and_tier_when_the_state_gives_them_as_strings_or_empty()
    {
        var state = State().Replace("\"pith_inbound_count\":240", "\"pith_inbound_count\":\"240\"", StringComparison.Ordinal)
            .Replace("\"tier\":\"super_hub\"", "\"tier\":\"\"", StringComparison.Ordinal);
        var work = Work().Replace("\"year\":2022", "\"year\":2022,\"tier\":\"Super_Hub\",\"pith_inbound_count\":239", StringComparison.Ordinal);

        var page = HubPageParser.Parse("{\"work\":" + work + ",\"hub\":{\"state\":" + state + "}}");

        Assert.Equal(("super hub", 239), (page.TierLabel, page.StatedCitingCount));
        Assert.Empty(page.Warnings);
    }

    [Theory]
    [InlineData("\"display_title\":\"Display\",\"title\":\"Title\",\"raw_key\":\"Raw\"", "Display")]
    [InlineData("\"display_title\":null,\"title\":\"Title\",\"raw_key\":\"Raw\"", "Title")]
    [InlineData("\"display_title\":\"\",\"title\":\" \",\"raw_key\":\"Raw\"", "Raw")]
    public void Parse_takes_the_display_title_then_the_title_then_the_raw_key(string members, string title)
    {
        var page = HubPageParser.Parse("{\"work\":{\"id\":\"x\"," + members + "}}");

        Assert.Equal(title, page.Title);
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_reads_the_ids_of_an_unresolved_reference_from_its_raw_key()
    {
        var page = HubPageParser.Parse("{\"work\":{\"id\":\"x\",\"arxiv_id\":null,\"doi\":null,"
            + "\"raw_key\":\"Exploring the limits of transfer learning, arXiv:2310.10683v2, doi:10.5555/3455716.3455856.\"}}");

        Assert.Equal("2310.10683", page.ArxivId);
        Assert.Equal("10.5555/3455716.3455856", page.Doi);
    }

    [Fact]
    public void Parse_prefers_the_work_s_own_ids_to_those_its_title_gives()
    {
        var page = HubPageParser.Parse("{\"work\":{\"id\":\"x\",\"arxiv_id\":\"1707.06347\",\"doi\":\"10.1/own\","
            + "\"title\":\"Cited as arXiv:2310.10683 and doi:10.5555/other\"}}");

        Assert.Equal(("1707.06347", "10.1/own"), (page.ArxivId, page.Doi));
    }

    [Theory]
    [InlineData("{\"work\":{\"id\":\"x\",\"title\":null}}", "", true)]
    [InlineData("{\"work\":{\"id\":\"x\",\"title\":5}}", "", true)]
    [InlineData("{\"work\":{\"title\":\"T\"}}", "T", false)]
    public void Parse_warns_when_a_work_object_gives_no_title(string json, string title, bool warns)
    {
        var page = HubPageParser.Parse(json);

        Assert.Equal(title, page.Title);
        Assert.Equal(warns ? ["the work object gives no title"] : [], page.Warnings);
    }

    [Fact]
    public void Parse_gives_the_reason_and_position_of_malformed_json_counted_from_one()
    {
        var ex = Assert.Throws<HubPageFormatException>(() => HubPageParser.Parse("{\"work\":}"));

        Assert.Equal("not a hub page: malformed JSON: '}' is an invalid start of a value (line 1, byte 9 of the line)", ex.Message);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\uFEFF")]
    [InlineData(" \uFEFF\n\t")]
    public void Parse_does_not_read_whitespace_and_byte_order_marks_alone_as_json(string text)
    {
        var ex = Assert.Throws<HubPageFormatException>(() => HubPageParser.Parse(text));

        Assert.DoesNotContain("JSON", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>The chain-of-thought hub's work object as stored (complete in the stored copy).</summary>
    private static string Work()
    {
        var json = SeedPages.Json(SeedPages.ChainOfThoughtJson);
        var start = json.IndexOf("{\"id\"", StringComparison.Ordinal);
        var end = json.IndexOf(",\"hub\":", StringComparison.Ordinal);
        return json[start..end];
    }

    /// <summary>The chain-of-thought hub's state as stored, closed before the member the copy is cut in.</summary>
    private static string State()
    {
        var json = SeedPages.Json(SeedPages.ChainOfThoughtJson);
        var start = json.IndexOf("{\"work_id\"", StringComparison.Ordinal);
        var end = json.IndexOf(",\"last_pith_cited_at\"", StringComparison.Ordinal);
        return json[start..end] + "}";
    }

    /// <summary>A complete citers.json of the stored first item with one member replaced.</summary>
    private static string CitersWithFirstItem(string member, string replacement)
    {
        var (prefix, first, _) = PithJsonReaderTests.CitersParts();
        Assert.Contains(member, first, StringComparison.Ordinal);
        return prefix + first.Replace(member, replacement, StringComparison.Ordinal) + "]}";
    }
}

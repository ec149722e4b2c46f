using System.Text;
using System.Text.Json;
using CitationService.Core.Model;
using CitationService.Core.Pages;
using CsCheck;

namespace CitationService.Tests.Parsing;

/// <summary>
/// Generated and mutated pages: Parse returns a page or throws <see cref="HubPageFormatException"/>, within a
/// time bound, and what it returns keeps the promises the example tests make. Iteration counts keep the class
/// under ~20 s here; <c>CsCheck_Iter</c> / <c>CsCheck_Time</c> run them longer (docs/RELIABILITY.md).
/// </summary>
public class ParserPropertyTests
{
    // Per input: a hang shows as a failure, not a stuck run. Inputs here are a few KB, parsed in well under 1 ms.
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(2);

    private static readonly string[] Seeds = [SeedPages.Npo, SeedPages.Pythia, SeedPages.RawArxiv, SeedPages.ToEach];

    private static readonly string[] Markers =
    [
        "abstract", "hub tools", "citation-role summary", "citation-polarity summary", "roles", "polarities",
        "fields", "years", "verdicts", "claims ledger", "representative citing papers", "citing papers explorer",
    ];

    private static readonly string[] Labels = ["background", "method", "dataset", "baseline", "other", "supporting", "neutral", "cs.CL", "2026", "ACCEPT"];

    private static readonly string[] Words =
        ["Alpha", "Beta", "Gamma", "Delta", "model", "unlearning", "LLM", "of", "the", "x-", "pre- and", "Im- proving", "(LLMs)", "50%", "\u00B7", "é", "数据"];

    private static readonly Gen<string> Newline = Gen.OneOf("\n", "\r\n", "\r");

    private static readonly Gen<string> Sentence =
        Gen.OneOf(Words).Array[1, 8].Select(w => string.Join(' ', w));

    private static readonly Gen<string> Count =
        Gen.Frequency((4, Gen.Int[0, 300].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            (1, Gen.OneOf("1,234", "99999999999", "2,147,483,648", "0", "007")));

    private static readonly Gen<string> Pair =
        Gen.Select(Gen.OneOf(Labels), Count, (label, count) => $"{label} {count}");

    private static readonly Gen<string> MetadataLine =
        Gen.Select(Gen.OneOf("cs.LG", "cs.CL", "hep-th", "q-bio.NC", "Bad Category"),
            Gen.OneOf("2026-05-08", "9999-99-99", "2026-02-30", ""),
            Gen.OneOf("unverdicted", "ACCEPT", "MAJOR_REVISION", "", "unver"),
            Gen.OneOf("novelty 7.0", "novelty 99999999", "novelty 6.5", "", "nov"),
            Gen.OneOf("", "2 refs", "1 ref", "9999999 refs"),
            (c, d, v, n, r) => string.Join(" \u00B7 ", new[] { c, d, v, n, r }.Where(p => p.Length > 0)));

    private static readonly Gen<char> OddChar = Gen.OneOf(
        Gen.Char,
        Gen.OneOf('\0', '\t', '\v', '\f', '\u0085', '\u00A0', '\u2028', '\u2029', '\u200B', '\uFEFF', '\uD800', '\uDC00', '\u00B7', '-', ' ', '\r', '\n'));

    /// <summary>One line of a page, from the page's own vocabulary or not.</summary>
    private static readonly Gen<string> VocabularyLine = Gen.Frequency(
        (6, Gen.OneOf(Markers)),
        (2, Gen.Select(Gen.OneOf(Markers), Gen.OneOf(Markers), (a, b) => a + " " + b)),
        (3, Count.Select(n => $"{n} Pith papers cite this work.")),
        (1, Gen.OneOf("1 Pith paper cites this work. Polarity classification is still indexing.", "Pith papers citing it",
            "Canonical reference. 86% of citing Pith papers use it.", "Method reference 78% of classified citations", "pith. sign in")),
        (2, Count),
        (2, Gen.OneOf("hub", "super hub", "hub Tool reference", "super hub Canonical reference")),
        (4, Gen.OneOf("-", "- ", "--")),
        (4, Sentence.Select(s => "- " + s)),
        (3, Gen.Select(Pair.Array[1, 4], Gen.OneOf(Markers.Append("").ToArray()), (pairs, marker) => string.Join(' ', pairs) + marker)),
        (3, MetadataLine),
        (8, Sentence),
        (6, Sentence.Select(s => s + ".")),
        (1, Gen.Int[PageLimits.Title - 2, PageLimits.Title + 2].Select(n => new string('t', n))),
        (1, Gen.Int[1_000, 25_000].Select(n => new string('x', n) + ".")),
        (2, Gen.String[OddChar, 0, 40]),
        (3, Gen.OneOf("", " ", "\t \u00A0")));

    /// <summary>Lines from the vocabulary, each with its own line ending; most open with a title and a count.</summary>
    private static readonly Gen<string> VocabularyPage =
        Gen.Select(
            Gen.OneOf("", "", "A Hub Title\n3 Pith papers cite this work.\n", "Opening summary.\nhub\nA Hub Title\n"),
            Gen.Select(VocabularyLine, Newline).Array[0, 40],
            (opening, lines) => opening + string.Concat(lines.Select(l => l.Item1 + l.Item2)));

    /// <summary>A seed page with a few line edits, possibly cut at any character.</summary>
    private static readonly Gen<string> MutatedSeed =
        Gen.Select(
            Gen.Int[0, Seeds.Length - 1],
            Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], VocabularyLine).Array[1, 5],
            Gen.Frequency((2, Gen.Const(-1)), (1, Gen.Int[0, int.MaxValue])),
            (seed, edits, cut) => Mutate(SeedPages.Lines(Seeds[seed]).ToList(), edits, cut));

    /// <summary>The stored JSON responses (each cut off at ~2,000 characters), without their files' wrapper.</summary>
    private static readonly string[] JsonResponses =
        [.. new[] { SeedPages.ChainOfThoughtJson, SeedPages.PpoJson, SeedPages.CitersJson }.Select(SeedPages.Json)];

    private static readonly Gen<string> JsonFragment = Gen.Frequency(
        (4, Gen.OneOf("{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "null", "true", "1e999", "-0", "007", "2.5", " ")),
        (2, Gen.OneOf("\"items\":[", "{\"paper_title\":\"X\",\"one_line_summary\":\"Y.\"}", "\"work\":{", "\"total\":", "\"display_title\":\"\"")),
        (1, Gen.String[OddChar, 0, 10]));

    /// <summary>A stored JSON response with a few character edits, possibly cut at any character, sometimes closed.</summary>
    private static readonly Gen<string> MutatedJson =
        Gen.Select(
            Gen.Int[0, JsonResponses.Length - 1],
            Gen.Select(Gen.Int[0, 2], Gen.Int[0, int.MaxValue], Gen.Int[0, 40], JsonFragment).Array[0, 4],
            Gen.Frequency((2, Gen.Const(-1)), (1, Gen.Int[0, int.MaxValue])),
            Gen.OneOf("", "", "\"}]}", "\"}}}", "}}", "]}"),
            (response, edits, cut, close) => MutateJson(JsonResponses[response], edits, cut) + close);

    [Fact]
    public void Parse_returns_or_rejects_any_string_in_time()
    {
        Gen.OneOf(Gen.String[0, 3_000], Gen.String[OddChar, 0, 3_000], Gen.String[OddChar, 0, 3_000].Select(s => "{" + s))
            .Sample(text => Outcome(text), iter: 3_000);
    }

    [Fact]
    public void Parse_returns_or_rejects_any_edited_or_cut_json_response_and_keeps_its_promises()
    {
        var parsed = 0;
        MutatedJson.Sample(text =>
        {
            if (Outcome(text).StartsWith("page:", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref parsed);
                AssertInvariants(HubPageParser.Parse(text), json: true);
            }
        }, iter: 2_000);

        Assert.True(parsed > 300, $"only {parsed} of 2000 edited responses parsed");
    }

    [Fact]
    public void Parse_returns_or_rejects_any_sequence_of_page_lines_and_keeps_its_promises()
    {
        var parsed = 0;
        VocabularyPage.Sample(text =>
        {
            if (Outcome(text).StartsWith("page:", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref parsed);
                AssertInvariants(HubPageParser.Parse(text));
            }
        }, iter: 4_000);

        // Most generated pages must get past the checks that refuse non-pages, or the invariants test little.
        Assert.True(parsed > 1_000, $"only {parsed} of 4000 generated pages parsed");
    }

    [Fact]
    public void Parse_returns_or_rejects_any_edited_or_cut_seed_page_and_keeps_its_promises()
    {
        MutatedSeed.Sample(text =>
        {
            if (Outcome(text).StartsWith("page:", StringComparison.Ordinal))
            {
                AssertInvariants(HubPageParser.Parse(text));
            }
        }, iter: 2_000);
    }

    [Fact]
    public void Parse_gives_the_same_outcome_for_the_same_text_and_any_line_endings_or_blank_lines()
    {
        // Text renderings only. A generated line of odd characters can open a page with '{' after whitespace
        // ("\u2028 \v{"), and such a text is read as JSON by design; the JSON reader's error message gives the
        // line and byte of the error, which rightly move when line breaks change or blank lines are added
        // (MalformedInputTests pins that case).
        Gen.OneOf(VocabularyPage, MutatedSeed).Where(text => !OpensWithBrace(text)).Sample(text =>
        {
            var expected = Outcome(text);
            Assert.Equal(expected, Outcome(text));
            var lf = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
            Assert.Equal(expected, Outcome(lf.Replace("\n", "\r\n", StringComparison.Ordinal)));
            Assert.Equal(expected, Outcome(lf.Replace('\n', '\r')));
            Assert.Equal(expected, Outcome(lf.Replace("\n", "\n \n\t\n", StringComparison.Ordinal)));
        }, iter: 1_500);
    }

    [Fact]
    public void Parse_lists_explorer_entries_in_page_order_marking_the_representative_ones()
    {
        var entries = Gen.Select(Sentence, Gen.Bool, Gen.Bool, Gen.Bool).Array[0, 12];
        entries.Sample(generated =>
        {
            // Titles and summaries made unique by their position; capitalised so that none reads as a marker.
            var papers = generated.Select((e, i) => (Title: $"Title {i} {e.Item1}", Summary: e.Item2 ? $"Summary {i} {e.Item1}." : null,
                DashForm: e.Item3, Representative: e.Item4 && e.Item2)).ToList();
            var lines = new List<string> { "representative citing papers" };
            lines.AddRange(papers.Where(p => p.Representative).Select(p => p.Summary!));
            lines.Add("citing papers explorer");
            foreach (var p in papers)
            {
                lines.AddRange(p.Summary is null && p.DashForm ? [$"- {p.Title}"] : p.Summary is null ? ["-", p.Title] : ["-", p.Title, p.Summary]);
            }

            var page = HubPageParser.Parse(PageText.Compact([.. lines]));

            Assert.Equal(papers.Select(p => (p.Title, p.Summary, p.Representative)),
                page.CitingPapers.Select(p => (p.Title, p.Summary, p.Representative)));
        }, iter: 1_000);
    }

    [Fact]
    public void Parse_keeps_every_entry_completed_before_the_cut_of_a_seed_cut_anywhere_in_its_explorer()
    {
        foreach (var seed in new[] { SeedPages.Npo, SeedPages.RawArxiv, SeedPages.ToEach })
        {
            var text = SeedPages.Text(seed).Replace("\r\n", "\n", StringComparison.Ordinal);
            var expected = SeedPages.ExplorerEntries(seed);
            var ends = EntryEnds(text);
            Assert.Equal(expected.Count, ends.Count);
            Gen.Int[text.IndexOf("citing papers explorer", StringComparison.Ordinal), text.Length].Sample(cut =>
            {
                var complete = ends.Count(end => end <= cut);
                var page = HubPageParser.Parse(text[..cut]);

                Assert.True(page.CitingPapers.Count >= complete, $"{page.CitingPapers.Count} papers, {complete} complete entries");
                Assert.Equal(expected.Take(complete), page.CitingPapers.Take(complete).Select(p => (p.Title, p.Summary)));
            }, iter: 500);
        }
    }

    /// <summary>Where each explorer entry's last line ends (before its line break), in a text with \n endings.</summary>
    private static List<int> EntryEnds(string text)
    {
        var ends = new List<int>();
        var start = text.IndexOf("citing papers explorer", StringComparison.Ordinal);
        var lineStart = text.IndexOf('\n', start) + 1;
        while (lineStart > 0 && lineStart < text.Length)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            lineEnd = lineEnd < 0 ? text.Length : lineEnd;
            var line = text[lineStart..lineEnd];
            // An entry ends at the line before the next "-" line, or at its own "- Title" line.
            if (line == "-" || line.StartsWith("- ", StringComparison.Ordinal))
            {
                if (ends.Count > 0 && ends[^1] < 0)
                {
                    ends[^1] = lineStart - 1;
                }
                ends.Add(line == "-" ? -1 : lineEnd);
            }
            lineStart = lineEnd + 1;
        }
        if (ends.Count > 0 && ends[^1] < 0)
        {
            ends[^1] = text.TrimEnd('\n').Length;
        }
        return ends;
    }

    /// <summary>What <see cref="HubPageParser.Parse"/> reads as JSON: '{' first after whitespace and byte order marks.</summary>
    private static bool OpensWithBrace(string text) =>
        text.SkipWhile(c => char.IsWhiteSpace(c) || c == '\uFEFF').FirstOrDefault() == '{';

    private static string Mutate(List<string> lines, (int Kind, int A, int B, string Line)[] edits, int cut)
    {
        foreach (var (kind, a, b, line) in edits)
        {
            var i = a % Math.Max(lines.Count, 1);
            var j = b % Math.Max(lines.Count, 1);
            switch (kind)
            {
                case 0 when lines.Count > 0:
                    lines.RemoveAt(i);
                    break;
                case 1 when lines.Count > 0:
                    lines.Insert(i, lines[i]);
                    break;
                case 2 when lines.Count > 0:
                    (lines[i], lines[j]) = (lines[j], lines[i]);
                    break;
                case 3 when lines.Count > 0:
                    lines.RemoveRange(i, lines.Count - i);
                    break;
                case 4:
                    lines.Insert(Math.Min(i, lines.Count), line);
                    break;
                case 5 when lines.Count > 0:
                    // Cut a line short.
                    lines[i] = lines[i][..(b % (lines[i].Length + 1))];
                    break;
                default:
                    break;
            }
        }
        var text = string.Join('\n', lines);
        return cut < 0 ? text : text[..(cut % (text.Length + 1))];
    }

    private static string MutateJson(string json, (int Kind, int At, int Length, string Fragment)[] edits, int cut)
    {
        var text = new StringBuilder(json);
        foreach (var (kind, at, length, fragment) in edits)
        {
            var i = at % (text.Length + 1);
            var n = Math.Min(length, text.Length - i);
            switch (kind)
            {
                case 0:
                    text.Remove(i, n);
                    break;
                case 1:
                    text.Insert(i, text.ToString(i, n));
                    break;
                default:
                    text.Insert(i, fragment);
                    break;
            }
        }
        var edited = text.ToString();
        return cut < 0 ? edited : edited[..(cut % (edited.Length + 1))];
    }

    /// <summary>
    /// What the parser promises of every page it returns. A JSON page may have no title (citers.json, or a work
    /// cut off before it), any tier Pith names, and untitled items that give a summary.
    /// </summary>
    private static void AssertInvariants(HubPage page, bool json = false)
    {
        AssertCollapsed(page.Title);
        Assert.True(json || page.Title.Length > 0, "a text page without a title");
        Assert.True(page.DescribesHub || page.Title.Length == 0, "a page that does not describe its hub has a title");
        Assert.InRange(page.Title.Length, 0, PageLimits.Title);
        Assert.InRange(page.Abstract.Length, 0, PageLimits.Abstract);
        if (json)
        {
            AssertCollapsed(page.TierLabel);
            Assert.InRange(page.TierLabel.Length, 0, PageLimits.TierLabel);
        }
        else
        {
            Assert.Contains(page.TierLabel, (string[])["", "hub", "super hub", "hub Canonical reference", "hub Tool reference",
                "super hub Canonical reference", "super hub Tool reference"]);
        }
        Assert.InRange(page.SourceId.Length, 0, PageLimits.Identifier);
        Assert.InRange(page.Authors.Length, 0, PageLimits.Authors);
        Assert.InRange(page.Venue.Length, 0, PageLimits.Label);
        Assert.True(page.StatedCitingCount is null or >= 0);
        Assert.All(page.StatedRoleCounts.Concat(page.StatedPolarityCounts), c =>
        {
            Assert.NotEmpty(c.Label);
            Assert.True(c.Count >= 0);
        });
        Assert.InRange(page.CitingPapers.Count, 0, PageLimits.CitingPapers);
        Assert.All(page.CitingPapers, p =>
        {
            // A paper is untitled only when the page gives its (representative, on text pages) summary and no title anywhere.
            Assert.True(p.Title.Length > 0 || (p.Summary is not null && (p.Representative || json)), $"untitled paper: {p}");
            AssertCollapsed(p.Title);
            Assert.InRange(p.Title.Length, 0, PageLimits.Title);
            Assert.InRange(p.ContextText?.Length ?? 0, 0, PageLimits.ContextText);
            Assert.NotEqual("", p.ContextText);
            Assert.Equal(p.SourceRole.ToLowerInvariant(), p.SourceRole);
            Assert.Equal(p.SourcePolarity.ToLowerInvariant(), p.SourcePolarity);
            if (p.Summary is not null)
            {
                Assert.NotEmpty(p.Summary);
                AssertCollapsed(p.Summary);
                Assert.InRange(p.Summary.Length, 1, PageLimits.Summary);
            }
        });
        // One paper per title.
        var titles = page.CitingPapers.Where(p => p.Title.Length > 0).Select(p => TextNormalizer.NormalizeTitle(p.Title)).ToList();
        Assert.Equal(titles.Count, titles.Distinct().Count());
        Assert.InRange(page.Warnings.Count, 0, 51);
    }

    private static void AssertCollapsed(string text) => Assert.Equal(TextNormalizer.CollapseWhitespace(text), text);

    /// <summary>
    /// "page:" and the page as JSON, or "rejected:" and the message; fails on any other exception and on
    /// a parse that takes longer than <see cref="TimeLimit"/>.
    /// </summary>
    private static string Outcome(string text)
    {
        string? outcome = null;
        Exception? bug = null;
        var thread = new Thread(() =>
        {
            try
            {
                outcome = "page:" + JsonSerializer.Serialize(HubPageParser.Parse(text));
            }
            catch (HubPageFormatException ex)
            {
                outcome = "rejected:" + ex.Message;
            }
            catch (Exception ex)
            {
                bug = ex;
            }
        })
        { IsBackground = true };
        thread.Start();
        if (!thread.Join(TimeLimit))
        {
            Assert.Fail($"Parse did not finish within {TimeLimit.TotalSeconds} s on {Describe(text)}");
        }
        if (bug is not null)
        {
            Assert.Fail($"Parse threw {bug.GetType().Name} (only HubPageFormatException is allowed) on {Describe(text)}: {bug}");
        }
        return outcome!;
    }

    private static string Describe(string text) =>
        $"a {text.Length}-character text: {JsonSerializer.Serialize(text.Length <= 2_000 ? text : text[..2_000] + "…")}";
}

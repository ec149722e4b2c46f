using System.Globalization;
using System.Text.Json;
using CitationService.Classification.Data;
using CitationService.Classification.Summaries;

namespace CitationService.Tests.Classification;

public class SummaryCorpusTests
{
    private static readonly IReadOnlyList<SummaryPair> Pairs = SummaryCorpus.Load(RepositoryPaths.Data);

    [Fact]
    public void Pairs_file_is_exactly_the_join_of_candidates_and_first_pass_labels()
    {
        var (built, unlabelled, _) = SummaryCorpus.Build(RepositoryPaths.Data);
        Assert.Equal(0, unlabelled);
        Assert.Equal(built.Count, Pairs.Count);
        for (var i = 0; i < built.Count; i++)
        {
            Assert.Equal(built[i], Pairs[i]);
        }
    }

    [Fact]
    public void Splits_are_grouped_by_hub_and_test_has_at_least_400_pairs()
    {
        var splitsPerHub = Pairs.GroupBy(p => p.HubKey).Where(g => g.Select(p => p.Split).Distinct().Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(splitsPerHub);
        Assert.True(Pairs.Count(p => p.Split == "test") >= 400);
        Assert.True(Pairs.Select(p => p.HubKey).Distinct().Count() >= 150);
        // A SciTLDR summary never appears in two splits either (papers are pooled per split). Seed pages may
        // share a real citing paper between two hubs, and the seed hubs are in different splits.
        var crossing = Pairs.Where(p => p.Id.StartsWith("scitldr-", StringComparison.Ordinal)).GroupBy(p => p.Summary).Where(g => g.Select(p => p.Split).Distinct().Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(crossing);
    }

    [Fact]
    public void Every_text_is_real_text_from_its_source()
    {
        var scitldr = new Dictionary<string, (string Title, string Abstract, string Tldr)>(StringComparer.Ordinal);
        foreach (var file in new[] { "train.jsonl", "dev.jsonl" })
        {
            foreach (var line in File.ReadLines(Path.Combine(RepositoryPaths.Data, "scitldr", file)))
            {
                using var doc = JsonDocument.Parse(line);
                var r = doc.RootElement;
                scitldr.TryAdd(r.GetProperty("paper_id").GetString()!, (r.GetProperty("title").GetString()!,
                    string.Join(" ", r.GetProperty("source").EnumerateArray().Select(s => s.GetString())),
                    r.GetProperty("target")[0].GetString()!.Trim()));
            }
        }
        var act = DelimitedReader.Read(Path.Combine(RepositoryPaths.Data, "act-3c", "test.tsv"), '\t').ToDictionary(r => "act-" + r[0], r => r);
        var seeds = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "seeds"), "*.txt").Select(File.ReadAllText).ToList();
        foreach (var pair in Pairs)
        {
            if (pair.Id.StartsWith("scitldr-", StringComparison.Ordinal))
            {
                var ids = pair.Id["scitldr-".Length..];
                var hub = scitldr.Keys.Single(k => ids.StartsWith(k + "-", StringComparison.Ordinal) && scitldr.ContainsKey(ids[(k.Length + 1)..]));
                var citing = scitldr[ids[(hub.Length + 1)..]];
                Assert.Equal(citing.Tldr, pair.Summary);
                Assert.Equal(scitldr[hub].Abstract, pair.HubAbstract);
            }
            else if (pair.Id.StartsWith("act-", StringComparison.Ordinal))
            {
                var row = act[pair.Id];
                Assert.Equal(row[2].Trim(), pair.Summary);
                Assert.Equal(row[4].Trim(), pair.HubTitle);
                Assert.Equal(row[6].Trim(), pair.HubAbstract);
            }
            else
            {
                Assert.StartsWith("seed-", pair.Id, StringComparison.Ordinal);
                Assert.Contains(seeds, s => s.Contains(pair.Summary, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void SciTLDR_test_file_is_never_shipped_or_used()
    {
        Assert.False(File.Exists(Path.Combine(RepositoryPaths.Data, "scitldr", "test.jsonl")));
        Assert.DoesNotContain(Pairs, p => p.Source.Contains("test.jsonl", StringComparison.Ordinal));
    }

    [Fact]
    public void Agreement_figures_in_SOURCE_md_are_the_measured_ones()
    {
        var (role, polarity) = SummaryCorpus.MeasureAgreement(RepositoryPaths.Data);
        Assert.True(role.Items >= 200);
        var source = File.ReadAllText(Path.Combine(RepositoryPaths.Data, "summaries", "SOURCE.md"));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Cohen's κ {role.Kappa:F2}"), source, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Cohen's κ {polarity.Kappa:F2}"), source, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{role.Items} pairs"), source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "A", "A", "B", "B" }, new[] { "A", "A", "B", "B" }, 1.0)]
    [InlineData(new[] { "A", "B", "A", "B" }, new[] { "B", "A", "B", "A" }, -1.0)]
    [InlineData(new[] { "A", "A", "A", "B" }, new[] { "A", "A", "B", "B" }, 0.5)]
    public void Cohens_kappa(string[] a, string[] b, double expected) =>
        Assert.Equal(expected, Agreement.Of(a, b).Kappa, 6);
}

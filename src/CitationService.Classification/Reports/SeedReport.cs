using System.Globalization;
using System.Text;
using CitationService.Core.Classification;
using CitationService.Core.Model;
using CitationService.Core.Pages;

namespace CitationService.Classification.Reports;

/// <summary>One seed page: its file name, how many citing papers the parser read and how many carry a summary.</summary>
public sealed record SeedFile(string File, int CitingPapers, int Summaries);

/// <summary>One classified citing-paper summary.</summary>
public sealed record SeedSummary(string File, string Title, string Summary, LabelPrediction<CitationRole> Role, LabelPrediction<CitationPolarity> Polarity);

/// <summary>
/// What the production models make of the one-line summaries on the seed pages (the text the service actually
/// classifies): every <c>*.txt</c> in a folder is parsed with <see cref="HubPageParser"/> and each citing paper's
/// summary classified. There are no gold labels; this shows the predicted distributions and confidences under the
/// domain shift from citation sentences to summaries. Deterministic: files in ordinal order, papers in page order.
/// </summary>
public sealed record SeedReport(IReadOnlyList<SeedFile> Files, IReadOnlyList<SeedSummary> Summaries, float Threshold)
{
    /// <summary>The service's default confidence threshold (<see cref="ClassifierOptions.ConfidenceThreshold"/>).</summary>
    public const float DefaultThreshold = 0.5f;

    public static SeedReport Build(string seedsDirectory, ICitationClassifier classifier, float threshold = DefaultThreshold)
    {
        var files = new List<SeedFile>();
        var summaries = new List<SeedSummary>();
        foreach (var path in Directory.GetFiles(seedsDirectory, "*.txt").OrderBy(Path.GetFileName, StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var page = HubPageParser.Parse(File.ReadAllText(path));
            var hub = new HubText(page.Title, page.Abstract, page.TierLabel);
            var withSummary = page.CitingPapers.Where(p => !string.IsNullOrWhiteSpace(p.Summary)).ToList();
            files.Add(new SeedFile(name, page.CitingPapers.Count, withSummary.Count));
            summaries.AddRange(withSummary.Select(p => new SeedSummary(
                name, p.Title, p.Summary!, classifier.ClassifyRole(CitationText.Summary(p.Summary!, hub)), classifier.ClassifyPolarity(CitationText.Summary(p.Summary!, hub)))));
        }
        return new SeedReport(files, summaries, threshold);
    }

    public IReadOnlyDictionary<CitationRole, int> RoleCounts => Count(Summaries.Select(s => s.Role.Label));

    public IReadOnlyDictionary<CitationPolarity, int> PolarityCounts => Count(Summaries.Select(s => s.Polarity.Label));

    public int RoleBelowThreshold => Summaries.Count(s => s.Role.Confidence < Threshold);

    public int PolarityBelowThreshold => Summaries.Count(s => s.Polarity.Confidence < Threshold);

    /// <summary>The printed report.</summary>
    public string Format(int examples = 8)
    {
        var sb = new StringBuilder();
        var n = Summaries.Count;
        sb.AppendLine(CultureInfo.InvariantCulture, $"Seed summaries: {n} one-line summaries of citing papers on {Files.Count} seed pages (no gold labels).");
        foreach (var f in Files)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {f.File,-40} {f.CitingPapers,3} citing papers, {f.Summaries,3} with a summary");
        }
        if (n == 0)
        {
            return sb.ToString();
        }
        AppendTask(sb, "role", RoleCounts, Summaries.Select(s => s.Role.Confidence).ToList());
        AppendTask(sb, "polarity", PolarityCounts, Summaries.Select(s => s.Polarity.Confidence).ToList());
        sb.AppendLine(CultureInfo.InvariantCulture, $"Examples (one per predicted role, then per non-neutral polarity, then page order; role / polarity with confidence):");
        foreach (var s in Examples(examples))
        {
            var text = s.Summary.Length > 150 ? s.Summary[..147] + "..." : s.Summary;
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"  [{s.Role.Label} {s.Role.Confidence:F2} / {s.Polarity.Label} {s.Polarity.Confidence:F2}] {text}");
        }
        return sb.ToString();
    }

    private void AppendTask<T>(StringBuilder sb, string task, IReadOnlyDictionary<T, int> counts, List<float> confidences)
        where T : struct, Enum
    {
        var n = confidences.Count;
        var sorted = confidences.Order().ToList();
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2f;
        var below = confidences.Count(c => c < Threshold);
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"{task}: mean confidence {confidences.Average():F3}, median {median:F3}; below threshold {Threshold:F2}: {below} of {n} ({100.0 * below / n:F1}%)");
        foreach (var (label, count) in counts)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {label,-12} {count,4}  {100.0 * count / n,5:F1}%");
        }
    }

    private List<SeedSummary> Examples(int max)
    {
        var picked = new List<SeedSummary>();
        void Add(SeedSummary? s)
        {
            if (s is not null && picked.Count < max && !picked.Contains(s))
            {
                picked.Add(s);
            }
        }
        foreach (var role in Enum.GetValues<CitationRole>())
        {
            Add(Summaries.FirstOrDefault(s => s.Role.Label == role));
        }
        foreach (var polarity in Enum.GetValues<CitationPolarity>().Where(p => p != CitationPolarity.Neutral))
        {
            Add(Summaries.FirstOrDefault(s => s.Polarity.Label == polarity));
        }
        foreach (var s in Summaries)
        {
            Add(s);
        }
        return picked;
    }

    /// <summary>Counts per enum value (Unspecified left out), in enum order, zeros included.</summary>
    private static Dictionary<T, int> Count<T>(IEnumerable<T> labels)
        where T : struct, Enum
    {
        var list = labels.ToList();
        return Enum.GetValues<T>().Where(v => Convert.ToInt32(v, CultureInfo.InvariantCulture) != 0)
            .ToDictionary(v => v, v => list.Count(l => l.Equals(v)));
    }
}

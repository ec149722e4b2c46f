using System.Text.RegularExpressions;
using CitationService.Core.Classification;

namespace CitationService.Classification.Runtime;

/// <summary>
/// Turns a citing paper's one-line summary and the hub it cites into one sparse feature vector: what the
/// summary says, what kind of paper the hub is, how close the two are and whether the summary names the hub,
/// which words they share, and those relations crossed with the summary's words. Feature names are hashed into
/// <see cref="Dimension"/> slots; each block is L2-normalised. The same code featurises training rows and live
/// requests, so the two can never drift apart. Thread-safe and allocation-light; the hub's part is computed once
/// per hub (<see cref="Hub"/>) and reused for all its papers.
/// </summary>
public static partial class SummaryFeaturizer
{
    public const int HashBits = 16;
    public const int Dimension = 1 << HashBits;
    private const int Mask = Dimension - 1;

    /// <summary>What the featurizer reads from a hub, computed once per hub.</summary>
    public sealed class Hub
    {
        internal Hub(HubText text)
        {
            var all = text.Title + " " + text.Abstract;
            ContentWords = [.. Words(all).Where(IsContentWord).Distinct(StringComparer.Ordinal)];
            TitleWords = [.. Words(text.Title).Where(IsContentWord).Distinct(StringComparer.Ordinal)];
            Names = HubNames(text.Title, text.Abstract);
            var kinds = new List<string>();
            if (IntroducesResource().IsMatch(all))
            {
                kinds.Add("resource");
            }
            if (Tool().IsMatch(all) || text.TierLabel.Contains("Tool", StringComparison.OrdinalIgnoreCase))
            {
                kinds.Add("tool");
            }
            if (ProposesMethod().IsMatch(all))
            {
                kinds.Add("method");
            }
            if (Analysis().IsMatch(all))
            {
                kinds.Add("analysis");
            }
            if (text.Abstract.Length == 0)
            {
                kinds.Add("no-abstract");
            }
            Kinds = kinds.Count > 0 ? [.. kinds] : ["unknown"];
            HubBlock = [.. ContentWords.Select(w => (Slot("h:", w), 1f))];
            KindPrefixes = [.. Kinds.Select(k => k + "|")];
            var context = new List<(int, float)>();
            foreach (var kind in Kinds)
            {
                context.Add((Slot("hk:", kind), 1f));
            }
            foreach (var w in Words(text.TierLabel))
            {
                context.Add((Slot("tier:", w), 1f));
            }
            ContextBlock = context;
        }

        internal string[] ContentWords { get; }
        internal string[] TitleWords { get; }
        internal IReadOnlyList<string> Names { get; }
        internal string[] Kinds { get; }
        internal string[] KindPrefixes { get; }
        internal List<(int Slot, float Value)> HubBlock { get; }
        internal List<(int Slot, float Value)> ContextBlock { get; }
    }

    /// <summary>Reads a hub once; pass the result to <see cref="Featurize"/> for each of its papers.</summary>
    public static Hub ReadHub(HubText hub) => new(hub ?? HubText.None);

    /// <summary>The sparse feature vector of one summary against its hub: sorted slot indices and values.</summary>
    public static (int[] Indices, float[] Values) Featurize(string summary, Hub hub)
    {
        var summaryWords = Words(summary).ToArray();
        var features = new Dictionary<int, float>(summaryWords.Length * 8);
        var block = new List<(int Slot, float Value)>(summaryWords.Length * 4);

        // Block 1: the summary's words and word pairs.
        for (var i = 0; i < summaryWords.Length; i++)
        {
            block.Add((Slot("w:", summaryWords[i]), 1f));
            if (i > 0)
            {
                block.Add((Slot("b:", summaryWords[i - 1], " ", summaryWords[i]), 1f));
            }
        }
        Add(features, block);

        // Block 2: the hub's words (what kind of paper it is, what field).
        Add(features, hub.HubBlock);

        // Block 3: relations between summary and hub, and the page's context.
        var citingContent = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in summaryWords)
        {
            if (IsContentWord(w))
            {
                citingContent.Add(w);
            }
        }
        var shared = 0;
        foreach (var w in hub.ContentWords)
        {
            shared += citingContent.Contains(w) ? 1 : 0;
        }
        var titleShared = 0;
        foreach (var w in hub.TitleWords)
        {
            titleShared += citingContent.Contains(w) ? 1 : 0;
        }
        var similarity = hub.ContentWords.Length == 0 || citingContent.Count == 0
            ? 0f
            : shared / (float)Math.Sqrt(hub.ContentWords.Length * (double)citingContent.Count);
        var titleOverlap = hub.TitleWords.Length == 0 ? 0f : titleShared / (float)hub.TitleWords.Length;
        var named = false;
        foreach (var n in hub.Names)
        {
            named |= NamedIn(n, summary);
        }
        var simBucket = SimBuckets[Math.Min(5, (int)(similarity * 20))];
        var titleBucket = TitleBuckets[Math.Min(4, (int)(titleOverlap * 5))];
        block.Clear();
        block.AddRange(hub.ContextBlock);
        block.Add((Slot("sim", ""), similarity));
        block.Add((Slot("simb:", simBucket), 1f));
        block.Add((Slot("tob:", titleBucket), 1f));
        block.Add((Slot(named ? "named:yes" : "named:no", ""), 1f));
        var namedText = named ? "True" : "False";
        foreach (var kind in hub.Kinds)
        {
            block.Add((Slot("hk|sim:", kind, "|", simBucket), 1f));
            block.Add((Slot("hk|named:", kind, "|", namedText), 1f));
        }
        Add(features, block);

        // Block 4: the words summary and hub share, each its own feature: the model learns which shared words
        // mean the same problem (a learnt, not a fixed, inverse document frequency).
        block.Clear();
        foreach (var w in hub.ContentWords)
        {
            if (citingContent.Contains(w))
            {
                block.Add((Slot("sh:", w), 1f));
            }
        }
        foreach (var w in hub.TitleWords)
        {
            if (citingContent.Contains(w))
            {
                block.Add((Slot("sht:", w), 1f));
            }
        }
        Add(features, block);

        // Block 5: the summary's words crossed with the relation (the same words mean another role when the
        // summary is close to the hub, names it, or the hub is a dataset or a tool).
        block.Clear();
        var simPrefix = simBucket + "|";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in summaryWords)
        {
            if (!seen.Add(w))
            {
                continue;
            }
            block.Add((Slot(simPrefix, w), 1f));
            if (named)
            {
                block.Add((Slot("named|", w), 1f));
            }
            foreach (var kindPrefix in hub.KindPrefixes)
            {
                block.Add((Slot(kindPrefix, w), 1f));
            }
        }
        Add(features, block);

        var indices = new int[features.Count];
        features.Keys.CopyTo(indices, 0);
        Array.Sort(indices);
        var values = new float[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            values[i] = features[indices[i]];
        }
        return (indices, values);
    }

    private static readonly string[] SimBuckets = ["s0", "s1", "s2", "s3", "s4", "s5"];
    private static readonly string[] TitleBuckets = ["o0", "o1", "o2", "o3", "o4"];

    /// <summary>Names a citing text may use for the hub's contribution: its title's prefix before a colon, acronyms its abstract defines.</summary>
    public static IReadOnlyList<string> HubNames(string title, string abstractText)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var prefix = TitlePrefix().Match(title);
        if (prefix.Success)
        {
            names.Add(prefix.Groups[1].Value);
        }
        foreach (Match m in DefinedAcronym().Matches(abstractText))
        {
            names.Add(m.Groups[1].Value);
        }
        names.RemoveWhere(n => n.Length < 3 || GenericAcronyms.Contains(n.ToUpperInvariant()));
        return [.. names.Order(StringComparer.Ordinal)];
    }

    /// <summary>True when <paramref name="name"/> occurs in <paramref name="text"/> as a whole word (case-sensitive).</summary>
    public static bool NamedIn(string name, string text)
    {
        var at = text.IndexOf(name, StringComparison.Ordinal);
        while (at >= 0)
        {
            var before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
            var end = at + name.Length;
            var after = end >= text.Length || !char.IsLetterOrDigit(text[end]);
            if (before && after)
            {
                return true;
            }
            at = text.IndexOf(name, at + 1, StringComparison.Ordinal);
        }
        return false;
    }

    // Each block is L2-normalised on its own, so a long abstract does not drown the summary.
    private static void Add(Dictionary<int, float> features, List<(int Slot, float Value)> block)
    {
        double norm = 0;
        foreach (var (_, v) in block)
        {
            norm += v * v;
        }
        if (norm <= 0)
        {
            return;
        }
        var scale = (float)(1 / Math.Sqrt(norm));
        foreach (var (slot, value) in block)
        {
            features[slot] = features.GetValueOrDefault(slot) + value * scale;
        }
    }

    /// <summary>FNV-1a of the feature name (the concatenation of the parts), masked to <see cref="Dimension"/>; nothing is allocated.</summary>
    private static int Slot(string a, string b, string c = "", string d = "")
    {
        var hash = 2166136261u;
        foreach (var ch in a)
        {
            hash = (hash ^ ch) * 16777619u;
        }
        foreach (var ch in b)
        {
            hash = (hash ^ ch) * 16777619u;
        }
        foreach (var ch in c)
        {
            hash = (hash ^ ch) * 16777619u;
        }
        foreach (var ch in d)
        {
            hash = (hash ^ ch) * 16777619u;
        }
        return (int)(hash & Mask);
    }

    /// <summary>
    /// Lower-cased word tokens: runs of a-z and 0-9, joined across a single hyphen or apostrophe
    /// (the regex <c>[a-z0-9]+(?:[-'][a-z0-9]+)*</c> over the lower-cased text, scanned by hand).
    /// </summary>
    public static IEnumerable<string> Words(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }
        var words = new List<string>(text.Length / 6);
        Span<char> buffer = text.Length <= 1024 ? stackalloc char[text.Length] : new char[text.Length];
        var lower = buffer[..text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            lower[i] = char.ToLowerInvariant(text[i]);
        }
        var at = 0;
        while (at < lower.Length)
        {
            if (!IsWordChar(lower[at]))
            {
                at++;
                continue;
            }
            var start = at;
            while (true)
            {
                while (at < lower.Length && IsWordChar(lower[at]))
                {
                    at++;
                }
                if (at + 1 < lower.Length && lower[at] is '-' or '\'' && IsWordChar(lower[at + 1]))
                {
                    at++;
                    continue;
                }
                break;
            }
            words.Add(new string(lower[start..at]));
        }
        return words;
    }

    private static bool IsWordChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    private static bool IsContentWord(string word) => word.Length > 2 && !StopWords.Contains(word);

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "from", "are", "was", "were", "this", "that", "these", "those", "its", "our", "they",
        "their", "which", "can", "such", "than", "then", "also", "has", "have", "had", "not", "but", "into", "via", "using",
        "use", "used", "based", "show", "shows", "paper", "propose", "proposed", "approach", "method", "methods", "new",
        "novel", "results", "more", "both", "while", "however", "how", "what", "when", "where", "does", "well", "each",
        "other", "over", "between", "through", "without", "under", "only", "work", "model", "models", "learning", "neural",
        "network", "networks", "deep", "data", "task", "tasks", "performance", "training", "problem", "framework",
        "existing", "state", "art", "large", "different", "demonstrate", "present", "introduce", "study", "first", "two",
        "one", "many", "most", "may", "show", "improve", "improves", "improved", "better", "achieve", "achieves",
    };

    private static readonly HashSet<string> GenericAcronyms = new(StringComparer.Ordinal)
    {
        "GAN", "GANS", "RNN", "RNNS", "CNN", "CNNS", "DNN", "DNNS", "LSTM", "SGD", "MDP", "MDPS", "VAE", "VAES", "GNN", "GNNS",
        "NMT", "MCMC", "NLP", "API", "SOTA", "ICLR", "MLP", "MLPS", "RL", "DRL", "KL", "ML", "AI", "GPU", "GPUS", "CPU", "IID",
        "NAS", "QA", "NLI", "ASR", "POS", "NER", "SVM", "PCA", "ODE", "ODES", "SDE", "EM", "MLE", "MAP", "ELBO", "RKHS", "NTK",
        "BERT", "IRL", "MARL", "GCN", "GCNS", "DQN", "PPO", "TRPO", "MAML", "ADAM", "RELU", "LLM", "LLMS",
    };

    [GeneratedRegex(@"^\s*([A-Za-z][A-Za-z0-9\-]{1,19})\s*:")]
    private static partial Regex TitlePrefix();

    [GeneratedRegex(@"\(([A-Z][A-Za-z0-9\-]*[A-Z][A-Za-z0-9\-]*)s?\)")]
    private static partial Regex DefinedAcronym();

    [GeneratedRegex(@"\b(introduce|present|release|propose|collect|construct|build|create|curate)\b[^.]{0,100}\b(dataset|benchmark|corpus|suite of tasks|environment|testbed|metric)s?\b", RegexOptions.IgnoreCase)]
    private static partial Regex IntroducesResource();

    [GeneratedRegex(@"\b(library|toolkit|toolbox|open[- ]source|software|package|suite of (models|checkpoints)|checkpoints|pretrained models)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Tool();

    [GeneratedRegex(@"\b(propose|introduce|present)\b[^.]{0,80}\b(method|algorithm|model|approach|architecture|framework|technique|loss|objective)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ProposesMethod();

    [GeneratedRegex(@"\b(we (study|analy[sz]e|investigate|prove|characteri[sz]e|examine)|theoretical|empirical study|we show that)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Analysis();
}

using System.Text.RegularExpressions;

namespace CitationService.Classification.Summaries;

/// <summary>Sparse TF-IDF vectors (lower-cased word unigrams and bigrams, stop words dropped, sublinear tf, L2-normalised).</summary>
public sealed partial class TfIdf
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "with", "by", "from", "as", "at", "is", "are", "be", "been",
        "was", "were", "this", "that", "these", "those", "it", "its", "we", "our", "us", "they", "their", "which", "can", "such",
        "than", "then", "also", "has", "have", "had", "not", "but", "into", "via", "using", "use", "used", "based", "show", "paper",
        "propose", "proposed", "approach", "method", "methods", "new", "novel", "results", "more", "both", "while", "however", "how",
        "what", "when", "where", "do", "does", "well", "each", "other", "over", "between", "through", "without", "under", "only",
    };

    private readonly Dictionary<string, int> _vocabulary;
    private readonly float[] _idf;

    /// <summary>One vector per document given to <see cref="Build"/>.</summary>
    public IReadOnlyList<(int Index, float Weight)[]> Vectors { get; }

    private TfIdf(Dictionary<string, int> vocabulary, float[] idf, List<string> documents)
    {
        _vocabulary = vocabulary;
        _idf = idf;
        Vectors = Reuse(documents);
    }

    /// <summary>Fits the vocabulary and document frequencies on <paramref name="documents"/>.</summary>
    public static TfIdf Build(IReadOnlyList<string> documents)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var documentFrequency = new List<int>();
        foreach (var doc in documents)
        {
            foreach (var term in Terms(doc).Distinct())
            {
                if (!vocabulary.TryGetValue(term, out var index))
                {
                    index = vocabulary.Count;
                    vocabulary[term] = index;
                    documentFrequency.Add(0);
                }
                documentFrequency[index]++;
            }
        }
        var idf = documentFrequency.Select(df => (float)Math.Log((1.0 + documents.Count) / (1.0 + df)) + 1f).ToArray();
        return new TfIdf(vocabulary, idf, documents.ToList());
    }

    /// <summary>Vectors for other documents in this vocabulary (unknown terms are ignored).</summary>
    public IReadOnlyList<(int Index, float Weight)[]> Reuse(IReadOnlyList<string> documents) => documents.Select(Vectorize).ToList();

    public (int Index, float Weight)[] Vectorize(string document)
    {
        var counts = new Dictionary<int, int>();
        foreach (var term in Terms(document))
        {
            if (_vocabulary.TryGetValue(term, out var index))
            {
                counts[index] = counts.GetValueOrDefault(index) + 1;
            }
        }
        var vector = counts.Select(kv => (kv.Key, (float)(1 + Math.Log(kv.Value)) * _idf[kv.Key])).OrderBy(t => t.Key).ToArray();
        var norm = (float)Math.Sqrt(vector.Sum(t => t.Item2 * t.Item2));
        return norm == 0 ? vector : vector.Select(t => (t.Key, t.Item2 / norm)).ToArray();
    }

    /// <summary>Cosine of two L2-normalised sparse vectors sorted by index.</summary>
    public static float Cosine((int Index, float Weight)[] a, (int Index, float Weight)[] b)
    {
        float sum = 0;
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i].Index == b[j].Index)
            {
                sum += a[i++].Weight * b[j++].Weight;
            }
            else if (a[i].Index < b[j].Index)
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        return sum;
    }

    /// <summary>Content words of a text (lower-cased, stop words dropped) and the bigrams of adjacent content words.</summary>
    public static IEnumerable<string> Terms(string text)
    {
        string? previous = null;
        foreach (Match m in Word().Matches(text.ToLowerInvariant()))
        {
            var word = m.Value;
            if (word.Length < 2 || StopWords.Contains(word))
            {
                previous = null;
                continue;
            }
            yield return word;
            if (previous is not null)
            {
                yield return previous + " " + word;
            }
            previous = word;
        }
    }

    [GeneratedRegex(@"[a-z0-9][a-z0-9\-]*")]
    private static partial Regex Word();
}

namespace CitationService.Classification.Training;

/// <summary>Precision, recall and F1 of one class.</summary>
public sealed record ClassMetrics(string Label, int Support, double Precision, double Recall, double F1);

/// <summary>Scores of a prediction run. Confusion[gold][predicted] in <see cref="Labels"/> order.</summary>
public sealed record EvalResult(
    int N,
    double Accuracy,
    double MacroF1,
    IReadOnlyList<string> MacroLabels,
    IReadOnlyList<ClassMetrics> PerClass,
    IReadOnlyList<string> Labels,
    int[][] Confusion);

/// <summary>Accuracy, macro-F1 (mean of per-class F1), per-class P/R/F1 and the confusion matrix.</summary>
public static class Evaluation
{
    /// <param name="gold">Gold labels.</param>
    /// <param name="predicted">Predicted labels.</param>
    /// <param name="labels">Rows/columns of the confusion matrix (every label either side may take).</param>
    /// <param name="macroLabels">Classes averaged into macro-F1; default: every label in <paramref name="labels"/>.</param>
    public static EvalResult Score(IReadOnlyList<string> gold, IReadOnlyList<string> predicted, IReadOnlyList<string> labels, IReadOnlyList<string>? macroLabels = null)
    {
        if (gold.Count != predicted.Count)
        {
            throw new ArgumentException("gold and predicted differ in length.");
        }
        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        var k = labels.Count;
        var confusion = new int[k][];
        for (var i = 0; i < k; i++)
        {
            confusion[i] = new int[k];
        }
        var correct = 0;
        for (var n = 0; n < gold.Count; n++)
        {
            confusion[index[gold[n]]][index[predicted[n]]]++;
            if (gold[n] == predicted[n])
            {
                correct++;
            }
        }
        var perClass = new List<ClassMetrics>();
        for (var c = 0; c < k; c++)
        {
            var tp = confusion[c][c];
            var support = confusion[c].Sum();
            var predictedCount = confusion.Sum(row => row[c]);
            var p = predictedCount == 0 ? 0 : tp / (double)predictedCount;
            var r = support == 0 ? 0 : tp / (double)support;
            var f = p + r == 0 ? 0 : 2 * p * r / (p + r);
            perClass.Add(new ClassMetrics(labels[c], support, p, r, f));
        }
        var macro = macroLabels ?? labels;
        var macroF1 = perClass.Where(m => macro.Contains(m.Label)).Average(m => m.F1);
        return new EvalResult(gold.Count, gold.Count == 0 ? 0 : correct / (double)gold.Count, macroF1, macro, perClass, labels, confusion);
    }

    /// <summary>Macro-F1 of argmax(log p + bias) over the classes present in <paramref name="gold"/>.</summary>
    public static double MacroF1(float[][] probabilities, int[] gold, float[] bias, bool[] present)
    {
        var k = bias.Length;
        var tp = new int[k];
        var fp = new int[k];
        var fn = new int[k];
        for (var n = 0; n < gold.Length; n++)
        {
            var p = probabilities[n];
            var best = 0;
            var bestScore = double.NegativeInfinity;
            for (var c = 0; c < k; c++)
            {
                var s = Math.Log(Math.Max(p[c], 1e-12)) + bias[c];
                if (s > bestScore)
                {
                    bestScore = s;
                    best = c;
                }
            }
            if (best == gold[n])
            {
                tp[best]++;
            }
            else
            {
                fp[best]++;
                fn[gold[n]]++;
            }
        }
        double sum = 0;
        var count = 0;
        for (var c = 0; c < k; c++)
        {
            if (!present[c])
            {
                continue;
            }
            count++;
            var denom = 2 * tp[c] + fp[c] + fn[c];
            sum += denom == 0 ? 0 : 2.0 * tp[c] / denom;
        }
        return count == 0 ? 0 : sum / count;
    }

    /// <summary>
    /// Per-class additive log-probability biases that maximise dev macro-F1: coordinate ascent over a grid,
    /// a change kept only if it gains more than <paramref name="minGain"/>, ties broken toward 0.
    /// </summary>
    public static float[] TuneBiases(float[][] probabilities, int[] gold, int k, double minGain = 0.002)
    {
        var present = new bool[k];
        foreach (var g in gold)
        {
            present[g] = true;
        }
        var bias = new float[k];
        var best = MacroF1(probabilities, gold, bias, present);
        var grid = Enumerable.Range(-12, 25).Select(i => i * 0.25f).OrderBy(Math.Abs).ToArray();
        for (var round = 0; round < 3; round++)
        {
            var improved = false;
            for (var c = 0; c < k; c++)
            {
                var keep = bias[c];
                var bestValue = keep;
                foreach (var v in grid)
                {
                    bias[c] = v;
                    var score = MacroF1(probabilities, gold, bias, present);
                    if (score > best + minGain)
                    {
                        best = score;
                        bestValue = v;
                        improved = true;
                    }
                }
                bias[c] = bestValue;
            }
            if (!improved)
            {
                break;
            }
        }
        return bias;
    }
}

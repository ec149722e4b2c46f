using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace CitationService.Classification.Runtime;

/// <summary>
/// A multinomial logistic regression over <see cref="SummaryFeaturizer"/> vectors, read from the ML.NET model zip
/// that training saved, and run in plain C#: logits = W·x + b, plus the per-class biases tuned for macro-F1, divided
/// by the calibration temperature, then softmax. The weights are held slot-major (one row of class weights per
/// feature slot), so a sparse vector costs one short loop per active slot. Thread-safe: nothing is mutated
/// after construction.
/// </summary>
public sealed class LinearModel
{
    private readonly float[] _weights;
    private readonly float[] _intercepts;
    private readonly float[] _classBiases;
    private readonly float _temperature;

    public LinearModel(float[][] weightsPerClass, float[] intercepts, float[] classBiases, float temperature)
    {
        ArgumentNullException.ThrowIfNull(weightsPerClass);
        Classes = weightsPerClass.Length;
        if (intercepts.Length != Classes || classBiases.Length != Classes)
        {
            throw new ArgumentException("One intercept and one class bias per class are needed.");
        }
        if (!(temperature > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive.");
        }
        Dimension = weightsPerClass[0].Length;
        _weights = new float[Dimension * Classes];
        for (var k = 0; k < Classes; k++)
        {
            for (var i = 0; i < Dimension; i++)
            {
                _weights[i * Classes + k] = weightsPerClass[k][i];
            }
        }
        _intercepts = intercepts;
        _classBiases = classBiases;
        _temperature = temperature;
    }

    public int Classes { get; }

    public int Dimension { get; }

    /// <summary>
    /// Reads the weights of a maximum-entropy model zip saved by training. <paramref name="classBiases"/> (one per
    /// class, in key order) and <paramref name="temperature"/> come from the model's manifest entry.
    /// </summary>
    public static LinearModel Load(string zipPath, float[] classBiases, float temperature)
    {
        var ml = new MLContext(seed: 1);
        var transformer = ml.Model.Load(zipPath, out _);
        return FromTransformer(transformer, classBiases, temperature);
    }

    /// <summary>The weights of a trained (or loaded) maximum-entropy transformer.</summary>
    public static LinearModel FromTransformer(ITransformer transformer, float[] classBiases, float temperature)
    {
        var parameters = transformer switch
        {
            MulticlassPredictionTransformer<MaximumEntropyModelParameters> t => t.Model,
            _ => throw new InvalidDataException($"Expected a maximum-entropy multiclass model, found {transformer.GetType().Name}."),
        };
        VBuffer<float>[] weights = [];
        parameters.GetWeights(ref weights, out var classes);
        var dense = new float[classes][];
        for (var k = 0; k < classes; k++)
        {
            dense[k] = weights[k].DenseValues().ToArray();
        }
        return new LinearModel(dense, [.. parameters.GetBiases()], classBiases, temperature);
    }

    /// <summary>Raw logits W·x + b of a sparse vector (sorted or not).</summary>
    public float[] Logits(int[] indices, float[] values)
    {
        var k = Classes;
        var logits = new float[k];
        Array.Copy(_intercepts, logits, k);
        for (var n = 0; n < indices.Length; n++)
        {
            var row = indices[n] * k;
            var v = values[n];
            for (var c = 0; c < k; c++)
            {
                logits[c] += _weights[row + c] * v;
            }
        }
        return logits;
    }

    /// <summary>Calibrated probabilities: softmax((logits + class biases) / temperature).</summary>
    public float[] Probabilities(int[] indices, float[] values) => Calibrate(Logits(indices, values), _classBiases, _temperature);

    /// <summary>softmax((logits + biases) / temperature), computed stably.</summary>
    public static float[] Calibrate(float[] logits, float[] biases, float temperature)
    {
        var k = logits.Length;
        var scaled = new double[k];
        var max = double.NegativeInfinity;
        for (var c = 0; c < k; c++)
        {
            scaled[c] = (logits[c] + biases[c]) / temperature;
            max = Math.Max(max, scaled[c]);
        }
        double sum = 0;
        for (var c = 0; c < k; c++)
        {
            scaled[c] = Math.Exp(scaled[c] - max);
            sum += scaled[c];
        }
        var result = new float[k];
        for (var c = 0; c < k; c++)
        {
            result[c] = (float)(scaled[c] / sum);
        }
        return result;
    }
}

using System.Globalization;
using CitationService.Classification.Data;
using CitationService.Classification.Training;

namespace CitationService.Cli;

/// <summary>`citations tune`: dev-only grid search. Prints dev macro-F1 before/after bias tuning; never touches test.</summary>
internal static class TuneCommand
{
    public static int Run(string target, string data)
    {
        var set = CorpusSet.Load(data);
        var baseConfig = target switch
        {
            "role" => ModelConfigs.Role,
            "athar" or "polarity" => ModelConfigs.Polarity,
            _ => ModelConfigs.SciCite with { },
        };
        var grid = new List<PipelineConfig>();
        foreach (var trainer in new[] { "lbfgs", "sdca" })
        {
            foreach (var l2 in trainer == "lbfgs" ? new[] { 0.001f, 0.01f } : [0.00001f, 0.0001f, 0.001f])
            {
                foreach (var wp in new[] { 0.5, 1.0 })
                {
                    grid.Add(baseConfig with { Trainer = trainer, L2 = l2, WeightPower = wp });
                }
            }
        }
        if (target == "role")
        {
            grid.Add(baseConfig with { TrainingCorpora = [Corpora.AclArc, Corpora.SciCite] });
        }
        // CITATIONS_TUNE_SPEC="trainer,l2,weightPower,minCount[,act|noact[,wordN[,3-4-5]]]];..." replaces the default grid.
        var spec = Environment.GetEnvironmentVariable("CITATIONS_TUNE_SPEC");
        if (!string.IsNullOrEmpty(spec))
        {
            grid = [.. spec.Split(';').Select(item =>
            {
                var f = item.Split(',');
                var c = baseConfig with
                {
                    Trainer = f[0],
                    L2 = f[1].Length == 0 ? baseConfig.L2 : float.Parse(f[1], CultureInfo.InvariantCulture),
                    WeightPower = double.Parse(f[2], CultureInfo.InvariantCulture),
                    MinCount = int.Parse(f[3], CultureInfo.InvariantCulture),
                };
                if (f.Length > 5)
                {
                    c = c with { WordNgramLength = int.Parse(f[5], CultureInfo.InvariantCulture) };
                }
                if (f.Length > 6)
                {
                    c = c with { CharNgramLengths = [.. f[6].Split('-', StringSplitOptions.RemoveEmptyEntries).Select(x => int.Parse(x, CultureInfo.InvariantCulture))] };
                }
                if (f.Length > 7)
                {
                    c = c with { GroupWeightPower = double.Parse(f[7], CultureInfo.InvariantCulture) };
                }
                return f.Length > 4 && target == "role"
                    ? c with { TrainingCorpora = f[4] == "act" ? [Corpora.AclArc, Corpora.SciCite, Corpora.Act] : [Corpora.AclArc, Corpora.SciCite] }
                    : c;
            })];
        }

        foreach (var config in grid)
        {
            TrainedModel trained;
            IReadOnlyList<LabeledText> dev;
            if (target == "role")
            {
                trained = TrainingRunner.TrainRole(set, config, Console.WriteLine);
                dev = TrainingRunner.RoleData(set, config.TrainingCorpora).Dev;
            }
            else if (target is "athar" or "polarity")
            {
                trained = TrainingRunner.TrainPolarity(set, config, Console.WriteLine);
                dev = TrainingRunner.PolarityData(set).Dev;
            }
            else
            {
                var corpus = set.Get(target);
                trained = ModelTrainer.Train(corpus.Name, config, corpus.Labels, TrainingRunner.BenchmarkTrain(set, corpus.Name), corpus.Dev, Console.WriteLine);
                dev = corpus.Dev;
            }
            var extra = "";
            if (target == "role")
            {
                extra = string.Join(" ", set.Role.Select(c => string.Create(CultureInfo.InvariantCulture,
                    $"{c.Name}={TrainingRunner.RoleOn(trained.Model, c, c.Dev).MacroF1:F3}")));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{target} {config.Trainer} l2={config.L2} wp={config.WeightPower} min={config.MinCount} words={config.WordNgramLength} chars={string.Join("-", config.CharNgramLengths)} gw={config.GroupWeightPower} corpora=[{string.Join(",", config.TrainingCorpora)}]: dev macro-F1 raw {trained.DevWithoutBiases.MacroF1:F3} tuned {trained.Dev.MacroF1:F3} acc {trained.Dev.Accuracy:F3} (n={dev.Count}) {extra} {trained.TrainSeconds:F1}s"));
        }
        return 0;
    }
}

using System.CommandLine;
using CitationService.Cli;
using CitationService.Cli.Ingest;

var dataOption = new Option<string>("--data") { Description = "Folder with the corpora (relative to the current directory).", DefaultValueFactory = _ => "data" };
var modelsOption = new Option<string>("--models") { Description = "Folder for role.zip, polarity.zip, metrics.json and benchmarks/.", DefaultValueFactory = _ => "models" };

var summaryOnlyOption = new Option<bool>("--summary-only") { Description = "Retrain only the summary models (the citation-sentence models and metrics.json stay as they are)." };
var train = new Command("train", "Train the citation-sentence benchmark and production models and the hub-aware summary models; write models/, metrics.json, summary-metrics.json and manifest.json.") { dataOption, modelsOption, summaryOnlyOption };
train.SetAction(r => Commands.Train(Path.GetFullPath(r.GetValue(dataOption)!), Path.GetFullPath(r.GetValue(modelsOption)!), r.GetValue(summaryOnlyOption)));

var seedsOption = new Option<string>("--seeds") { Description = "Folder with the seed hub pages (*.txt) for the summary report.", DefaultValueFactory = _ => "seeds" };
var seedExamplesOption = new Option<int>("--seed-examples") { Description = "How many classified seed summaries to print as examples.", DefaultValueFactory = _ => 8 };
var evaluate = new Command("evaluate", "Score the committed models on every corpus's test split, print the tables and the seed-summary report.") { dataOption, modelsOption, seedsOption, seedExamplesOption };
evaluate.SetAction(r => Commands.Evaluate(Path.GetFullPath(r.GetValue(dataOption)!), Path.GetFullPath(r.GetValue(modelsOption)!), Path.GetFullPath(r.GetValue(seedsOption)!), r.GetValue(seedExamplesOption)));

var textArgument = new Argument<string>("text") { Description = "The citation sentence or summary to classify." };
var sentenceOption = new Option<bool>("--sentence") { Description = "The text is a citation sentence (default: a one-line summary, read with its hub)." };
var hubTitleOption = new Option<string>("--hub-title") { Description = "Title of the hub the summary's paper cites.", DefaultValueFactory = _ => "" };
var hubAbstractOption = new Option<string>("--hub-abstract") { Description = "Abstract of the hub.", DefaultValueFactory = _ => "" };
var classify = new Command("classify", "Print the role and polarity of one text, with probabilities.") { textArgument, modelsOption, sentenceOption, hubTitleOption, hubAbstractOption };
classify.SetAction(r => Commands.Classify(r.GetValue(textArgument) ?? "", Path.GetFullPath(r.GetValue(modelsOption)!), r.GetValue(sentenceOption), r.GetValue(hubTitleOption)!, r.GetValue(hubAbstractOption)!));

var targetArgument = new Argument<string>("target") { Description = "scicite | acl-arc | act-3c | athar | role" };
var tune = new Command("tune", "Grid-search pipeline settings on a DEV split (never test) and print dev macro-F1.") { targetArgument, dataOption };
tune.SetAction(r => Commands.Tune(r.GetValue(targetArgument) ?? "", Path.GetFullPath(r.GetValue(dataOption)!)));

var bench = new Command("bench", "Measure model load time and prediction throughput of the committed models.") { dataOption, modelsOption };
bench.SetAction(r => BenchCommand.Run(Path.GetFullPath(r.GetValue(dataOption)!), Path.GetFullPath(r.GetValue(modelsOption)!)));

var sciTldrOption = new Option<string>("--scitldr") { Description = "Folder with SciTLDR train.jsonl and dev.jsonl (test.jsonl is never read).", DefaultValueFactory = _ => "data/scitldr" };
var outOption = new Option<string>("--out") { Description = "Folder for candidates.jsonl and the annotation sheets.", DefaultValueFactory = _ => "data/summaries" };
var sheetSizeOption = new Option<int>("--sheet-size") { Description = "Pairs per annotation sheet (whole hubs).", DefaultValueFactory = _ => 120 };
var propose = new Command("propose", "Propose unlabelled (hub, summary) pairs from the seeds, SciTLDR and ACT/3C and write annotation sheets.") { sciTldrOption, dataOption, seedsOption, outOption, sheetSizeOption };
propose.SetAction(r => SummariesCommand.Propose(Path.GetFullPath(r.GetValue(sciTldrOption)!), Path.GetFullPath(Path.Combine(r.GetValue(dataOption)!, "act-3c", "test.tsv")), Path.GetFullPath(r.GetValue(seedsOption)!), Path.GetFullPath(r.GetValue(outOption)!), r.GetValue(sheetSizeOption)));
var build = new Command("build", "Join the proposed pairs with their first-pass labels into data/summaries/pairs.jsonl; print counts and inter-annotator agreement.") { dataOption };
build.SetAction(r => SummariesCommand.Build(Path.GetFullPath(r.GetValue(dataOption)!)));
var taskArgument = new Argument<string>("task") { Description = "role | polarity" };
var shippedOnlyOption = new Option<bool>("--shipped-only") { Description = "Cross-validate the shipped settings only." };
var sentenceWeightsOption = new Option<string>("--sentence-weights") { Description = "Comma-separated weights of the citation-sentence corpora as extra training rows (0 = without).", DefaultValueFactory = _ => "0" };
var tuneSummaries = new Command("tune", "Cross-validate summary-model settings on train + dev (grouped by hub); never reads test.") { taskArgument, dataOption, shippedOnlyOption, sentenceWeightsOption };
tuneSummaries.SetAction(r => SummariesCommand.Tune(Path.GetFullPath(r.GetValue(dataOption)!), r.GetValue(taskArgument) ?? "role", r.GetValue(shippedOnlyOption), [.. r.GetValue(sentenceWeightsOption)!.Split(',').Select(w => float.Parse(w, System.Globalization.CultureInfo.InvariantCulture))]));
var summaries = new Command("summaries", "Build the labelled summary corpus and tune its models.") { propose, build, tuneSummaries };

var root = new RootCommand("citations: train, evaluate and run the citation role/polarity classifiers; send hub pages to a running service.") { train, evaluate, classify, tune, bench, summaries, IngestCommand.Create() };
return await root.Parse(args).InvokeAsync();

// Referencing the gRPC contracts brings in ASP.NET Core, which makes a top-level Program public unless it is declared;
// kept internal so that the tests, which reference the server's public Program too, see one.
internal partial class Program;

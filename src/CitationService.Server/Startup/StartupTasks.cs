using System.Diagnostics;
using CitationService.Core.Classification;
using CitationService.Core.Ingestion;
using CitationService.Core.Storage;
using Microsoft.Extensions.Options;

namespace CitationService.Server.Startup;

/// <summary>
/// Runs before the server listens: applies migrations, ingests the seed pages (idempotently, so a
/// restart changes nothing) and classifies papers whose labels are missing or came from another model
/// version (new seeds, or a newly shipped model).
/// </summary>
public sealed partial class StartupTasks(
    ICitationStore store,
    HubPageIngestor ingestor,
    IServiceProvider services,
    IOptions<SeedingOptions> seeding,
    IHostEnvironment environment,
    ILogger<StartupTasks> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // Loading the models is most of start-up: it runs on another core while the database is
        // migrated and the seeds are stored; classification waits for both.
        // A dedicated thread: on two cores, model loading on pool threads starves the seeding continuations.
        var loadingModels = Task.Factory.StartNew(
            services.GetRequiredService<StoredPaperClassifier>, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await store.MigrateAsync(cancellationToken);
        await IngestSeedsAsync(cancellationToken);
        var seeded = Stopwatch.GetElapsedTime(started);
        var paperClassifier = await loadingModels;
        var modelsLoaded = Stopwatch.GetElapsedTime(started);
        var classified = await paperClassifier.ClassifyPendingAsync(cancellationToken);
        LogStarted(seeded.TotalMilliseconds, modelsLoaded.TotalMilliseconds, Stopwatch.GetElapsedTime(started).TotalMilliseconds, classified);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task IngestSeedsAsync(CancellationToken cancellationToken)
    {
        if (seeding.Value.Directory.Length == 0)
        {
            return;
        }
        var directory = Path.Combine(environment.ContentRootPath, seeding.Value.Directory);
        if (!Directory.Exists(directory))
        {
            throw new InvalidOperationException($"Seed directory '{directory}' does not exist (option {SeedingOptions.Section}:Directory).");
        }

        var sources = await ReadSourcesAsync(Path.Combine(directory, seeding.Value.SourcesFile), cancellationToken);
        foreach (var file in Directory.EnumerateFiles(directory, "*.txt").Order(StringComparer.Ordinal))
        {
            var text = await File.ReadAllTextAsync(file, cancellationToken);
            var outcome = await ingestor.IngestAsync(text, sources.GetValueOrDefault(Path.GetFileName(file), ""), cancellationToken);
            LogSeedIngested(Path.GetFileName(file), outcome.Saved.HubId, outcome.Saved.PapersAdded, outcome.Saved.PapersUpdated, outcome.Saved.PapersUnchanged, outcome.Warnings.Count);
        }
    }

    private static async Task<Dictionary<string, string>> ReadSourcesAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            var fields = line.Split('\t');
            if (fields.Length == 2 && !line.StartsWith('#'))
            {
                sources[fields[0].Trim()] = fields[1].Trim();
            }
        }
        return sources;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seed {File}: hub {HubId}, {Added} added, {Updated} updated, {Unchanged} unchanged, {Warnings} warnings")]
    private partial void LogSeedIngested(string file, string hubId, int added, int updated, int unchanged, int warnings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Start-up tasks done in {TotalMs:F0} ms (migrations and seeds stored at {SeededMs:F0} ms, models loaded at {ModelsMs:F0} ms); classified {Classified} citing papers whose labels were missing or from another model version")]
    private partial void LogStarted(double seededMs, double modelsMs, double totalMs, int classified);
}

using System.Diagnostics;
using CitationService.Core.Ingestion;
using CitationService.Core.Storage;
using Microsoft.Extensions.Options;

namespace CitationService.Server.Startup;

/// <summary>
/// Runs before the server listens: applies migrations and ingests the seed pages with their labels
/// (idempotently, so a restart changes nothing). Stored papers whose labels are missing or came from
/// another model version are left to <see cref="LabelSweepService"/>, in the background.
/// </summary>
public sealed partial class StartupTasks(
    ICitationStore store,
    IServiceProvider services,
    IOptions<SeedingOptions> seeding,
    IHostEnvironment environment,
    ILogger<StartupTasks> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // Loading the models is most of start-up: it runs on another core while the database is migrated;
        // the seeds are stored with their labels, so they wait for both.
        // A dedicated thread: on two cores, model loading on pool threads starves the migration's continuations.
        var loadingModels = Task.Factory.StartNew(
            services.GetRequiredService<HubPageIngestor>, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await store.MigrateAsync(cancellationToken);
        var migrated = Stopwatch.GetElapsedTime(started);
        var ingestor = await loadingModels;
        var modelsLoaded = Stopwatch.GetElapsedTime(started);
        await IngestSeedsAsync(ingestor, cancellationToken);
        LogStarted(migrated.TotalMilliseconds, modelsLoaded.TotalMilliseconds, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task IngestSeedsAsync(HubPageIngestor ingestor, CancellationToken cancellationToken)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Start-up tasks done in {TotalMs:F0} ms (migrations applied at {MigratedMs:F0} ms, models loaded at {ModelsMs:F0} ms, then the seeds stored)")]
    private partial void LogStarted(double migratedMs, double modelsMs, double totalMs);
}

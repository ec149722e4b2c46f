using System.Threading.Channels;
using CitationService.Core.Classification;

namespace CitationService.Server.Startup;

/// <summary>
/// Labels, in the background, the stored papers no ingest labelled: once after start-up (papers awaiting
/// labels, then one pass over papers labelled by other model versions) and again whenever an ingest leaves
/// papers awaiting labels. Never holds up an RPC or the server's start; until a paper is labelled it is
/// served as unclassified.
/// </summary>
public sealed partial class LabelSweepService(StoredPaperClassifier paperClassifier, TimeProvider time, ILogger<LabelSweepService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    // One pending request is enough: a sweep labels everything awaiting when it runs.
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks for a sweep of the papers awaiting labels; returns at once.</summary>
    public void RequestSweep() => _requests.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RunUntilDoneAsync(async ct =>
        {
            var awaiting = await paperClassifier.LabelAwaitingAsync(ct);
            var relabelled = await paperClassifier.RelabelOtherModelsAsync(ct);
            LogStartSweep(awaiting, relabelled);
        }, stoppingToken);

        await foreach (var _ in _requests.Reader.ReadAllAsync(stoppingToken))
        {
            await RunUntilDoneAsync(async ct => LogSweep(await paperClassifier.LabelAwaitingAsync(ct)), stoppingToken);
        }
    }

    /// <summary>Runs <paramref name="sweep"/>, retrying after a failure (a busy or unavailable database) until it succeeds or the host stops.</summary>
    private async Task RunUntilDoneAsync(Func<CancellationToken, Task> sweep, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await sweep(stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(e, RetryDelay.TotalSeconds);
            }
            await Task.Delay(RetryDelay, time, stoppingToken);
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Label sweep after start-up: labelled {Awaiting} papers awaiting labels and relabelled {Relabelled} labelled by other model versions")]
    private partial void LogStartSweep(int awaiting, int relabelled);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Label sweep: labelled {Labelled} papers awaiting labels")]
    private partial void LogSweep(int labelled);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Label sweep failed; retrying in {DelaySeconds} s")]
    private partial void LogSweepFailed(Exception exception, double delaySeconds);
}

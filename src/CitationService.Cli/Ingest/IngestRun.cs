using System.Diagnostics;
using System.Globalization;
using CitationService.Contracts.V1;
using Grpc.Core;

namespace CitationService.Cli.Ingest;

/// <summary>What became of one file.</summary>
internal enum FileStatus
{
    Stored,
    Refused,
    TimedOut,
    Unreadable,
}

internal sealed record FileOutcome(PageFile File, FileStatus Status, IngestHubPageResponse? Reply = null);

/// <summary>
/// Sends the files one <c>IngestHubPage</c> call at a time, each with its own deadline; goes on after a refused page,
/// stops when no later call can succeed (no or a wrong key, no server).
/// </summary>
internal sealed class IngestRun(
    IngestionService.IngestionServiceClient ingestion, HubService.HubServiceClient hubs, Uri server, TimeSpan timeout,
    TextWriter output, TextWriter error)
{
    /// <summary>More files than this and the run reports its progress.</summary>
    private const int ProgressAbove = 5;

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);

    public async Task<int> RunAsync(IReadOnlyList<PageFile> files, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastProgress = TimeSpan.Zero;
        var outcomes = new List<FileOutcome>(files.Count);
        var stopped = false;
        foreach (var file in files)
        {
            var outcome = await SendAsync(file, cancellationToken);
            if (outcome is null)
            {
                error.WriteLine($"stopped at {file.Name}: {outcomes.Count} of {files.Count} files sent, the rest not.");
                stopped = true;
                break;
            }
            outcomes.Add(outcome);
            if (files.Count > ProgressAbove && (outcomes.Count == files.Count || clock.Elapsed - lastProgress >= ProgressEvery))
            {
                lastProgress = clock.Elapsed;
                var stored = outcomes.Count(o => o.Status == FileStatus.Stored);
                error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ingest: {outcomes.Count}/{files.Count} files, {stored} stored, {outcomes.Count - stored} not, {clock.Elapsed.TotalSeconds:F1} s"));
            }
        }

        if (outcomes.Count > 0)
        {
            var titles = stopped ? [] : await HubTitlesAsync(outcomes, cancellationToken);
            IngestTable.Write(output, outcomes, titles, files.Count);
        }

        if (stopped)
        {
            return IngestCommand.ExitStopped;
        }
        if (outcomes.Any(o => o.Status == FileStatus.Unreadable))
        {
            return IngestCommand.ExitUnreadable;
        }
        return outcomes.All(o => o.Status == FileStatus.Stored) ? IngestCommand.ExitStored : IngestCommand.ExitNotStored;
    }

    /// <summary>One file's call; null when the run has to stop (the reason already printed).</summary>
    private async Task<FileOutcome?> SendAsync(PageFile file, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file.Path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{file.Name}: cannot read: {e.Message}");
            return new FileOutcome(file, FileStatus.Unreadable);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("interrupted.");
            return null;
        }

        // The source URL: --url, else the stored copy's own header, else the folder's sources.tsv, else none.
        var hasHeader = StoredCopy.TryStrip(text, out var headerUrl, out var page);
        var request = new IngestHubPageRequest
        {
            PageText = page,
            SourceUrl = file.ExplicitUrl ?? (hasHeader && headerUrl.Length > 0 ? headerUrl : file.ListedUrl) ?? "",
        };
        try
        {
            var reply = await ingestion.IngestHubPageAsync(request, deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);
            foreach (var warning in reply.Warnings)
            {
                error.WriteLine($"{file.Name}: warning: {warning}");
            }
            return new FileOutcome(file, FileStatus.Stored, reply);
        }
        catch (RpcException e) when (StopReason(e) is { } reason)
        {
            error.WriteLine(reason);
            return null;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{file.Name}: no reply within {timeout.TotalSeconds:0.###} s (--timeout); the page may or may not have been stored"));
            return new FileOutcome(file, FileStatus.TimedOut);
        }
        catch (RpcException e)
        {
            error.WriteLine($"{file.Name}: refused ({CodeName(e.StatusCode)}): {e.Status.Detail}");
            return new FileOutcome(file, FileStatus.Refused);
        }
    }

    /// <summary>Why no later call can succeed either, or null when only this page failed.</summary>
    private string? StopReason(RpcException e) => e.StatusCode switch
    {
        StatusCode.Unavailable => $"cannot reach the server at {server}: {e.Status.Detail}{Cause(e)}",
        StatusCode.Unauthenticated => $"the server at {server} wants an API key it accepts (UNAUTHENTICATED): {e.Status.Detail} "
            + "(give --api-key or CITATIONS_API_KEY; the server must list it in Security:ApiKeys)",
        StatusCode.PermissionDenied => $"the server at {server} does not accept this API key (PERMISSION_DENIED): {e.Status.Detail}",
        StatusCode.Unimplemented => $"the server at {server} does not serve citations.v1.IngestionService (UNIMPLEMENTED): {e.Status.Detail}",
        StatusCode.Cancelled => "interrupted.",
        _ => null,
    };

    /// <summary>The innermost exception's message (e.g. "Connection refused"), which the status detail leaves out; no stack trace.</summary>
    private static string Cause(RpcException e)
    {
        var inner = e.Status.DebugException;
        while (inner?.InnerException is not null)
        {
            inner = inner.InnerException;
        }
        return inner is null || e.Status.Detail.Contains(inner.Message, StringComparison.Ordinal) ? "" : $" ({inner.Message})";
    }

    /// <summary>The stored hubs' titles, for the table; a hub whose lookup fails is left without one.</summary>
    private async Task<Dictionary<string, string>> HubTitlesAsync(List<FileOutcome> outcomes, CancellationToken cancellationToken)
    {
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var hubId in outcomes.Where(o => o.Reply is not null).Select(o => o.Reply!.HubId).Distinct())
        {
            try
            {
                var reply = await hubs.GetHubAsync(new GetHubRequest { HubId = hubId }, deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);
                titles[hubId] = reply.Hub.Title;
            }
            catch (RpcException e)
            {
                error.WriteLine($"hub {hubId}: no title ({CodeName(e.StatusCode)}): {e.Status.Detail}");
                if (StopReason(e) is not null)
                {
                    break;
                }
            }
        }
        return titles;
    }

    /// <summary>A status code as gRPC spells it (<c>INVALID_ARGUMENT</c>), as the README and the server's docs do.</summary>
    public static string CodeName(StatusCode code) =>
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}

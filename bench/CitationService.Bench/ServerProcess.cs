using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CitationService.Bench;

/// <summary>
/// The real server as a child process (<c>dotnet CitationService.Server.dll</c>) on a free 127.0.0.1 port,
/// with a database in its own temporary folder. Disposing kills it and deletes the folder.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    // Every server still alive, so a Ctrl+C or SIGTERM of the bench never leaves one behind.
    private static readonly ConcurrentDictionary<int, ServerProcess> Alive = new();

    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly Stopwatch _sinceStart;
    private readonly ConcurrentQueue<string> _logTail = new();
    private long _listeningTicks = -1;
    private long _firstLogTicks = -1;

    private ServerProcess(Process process, string dataDirectory, int port, string apiKey, Stopwatch sinceStart)
    {
        ApiKey = apiKey;
        _process = process;
        _dataDirectory = dataDirectory;
        _sinceStart = sinceStart;
        Port = port;
    }

    public int Port { get; }
    public int Pid => _process.Id;
    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>The API key this server accepts (one per run), which write RPCs such as IngestHubPage need.</summary>
    public string ApiKey { get; }

    /// <summary>When the server logged "Now listening on", measured from process start; null if not (yet) seen.</summary>
    public TimeSpan? ListeningAfter => Interlocked.Read(ref _listeningTicks) is var t and >= 0 ? TimeSpan.FromTicks(t) : null;

    /// <summary>
    /// When the server wrote its first log line, measured from process start. With the default log levels that is
    /// the first seed page ingested, so it comes after runtime start, DI, model load and migrations.
    /// </summary>
    public TimeSpan? FirstLogAfter => Interlocked.Read(ref _firstLogTicks) is var t and >= 0 ? TimeSpan.FromTicks(t) : null;

    /// <summary>The server's last log lines, for error reports.</summary>
    public string LogTail => string.Join(Environment.NewLine, _logTail);

    /// <summary>Starts the server; its store is SQLite in a temp folder, or the PostgreSQL database <paramref name="postgresConnectionString"/> names.</summary>
    public static ServerProcess Start(RepoLayout repo, bool keepRequestLogs, string? postgresConnectionString = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("citation-bench-").FullName;
        var port = FreeLoopbackPort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(repo.ServerAssembly);
        info.ArgumentList.Add($"--Urls=http://127.0.0.1:{port}");
        if (postgresConnectionString is null)
        {
            info.ArgumentList.Add($"--Storage:DatabasePath={Path.Combine(dataDirectory, "citations.db")}");
        }
        else
        {
            // In the environment, like the API key: a connection string may hold a password.
            info.Environment["Storage__Provider"] = "PostgreSql";
            info.Environment["Storage__ConnectionString"] = postgresConnectionString;
        }
        info.ArgumentList.Add($"--Seeding:Directory={repo.SeedsDirectory}");
        info.ArgumentList.Add($"--Classification:ModelsDirectory={repo.ModelsDirectory}");
        if (!keepRequestLogs)
        {
            // The server ships no appsettings.json, so ASP.NET logs two Information lines per request to the
            // console; that would measure console logging, not the service.
            info.ArgumentList.Add("--Logging:LogLevel:Microsoft.AspNetCore=Warning");
        }
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // In the environment, not on the command line, where any user's `ps` would show it.
        var apiKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        info.Environment["Security__ApiKeys__0"] = apiKey;

        var sinceStart = Stopwatch.StartNew();
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            Directory.Delete(dataDirectory, recursive: true);
            throw new InvalidOperationException($"Could not start 'dotnet {repo.ServerAssembly}': {e.Message} (is dotnet on PATH?)", e);
        }
        var server = new ServerProcess(process, dataDirectory, port, apiKey, sinceStart);
        Alive[process.Id] = server;
        // Both pipes are drained all the time: a full pipe would block the server's logging.
        process.OutputDataReceived += (_, e) => server.OnLogLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLogLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls the standard health service until it answers SERVING; returns the time since process start.</summary>
    public async Task<TimeSpan> WaitUntilServingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before serving. Its log:{Environment.NewLine}{LogTail}");
            }
            if (_sinceStart.Elapsed > timeout)
            {
                throw new TimeoutException($"The server did not answer SERVING within {timeout.TotalSeconds:0} s. Its log:{Environment.NewLine}{LogTail}");
            }
            // A new channel per attempt: a channel whose connection was refused backs off before reconnecting
            // (1 s and growing), which would add up to seconds to the figure.
            using (var channel = GrpcChannel.ForAddress(Address))
            {
                try
                {
                    var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
                    if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                    {
                        return _sinceStart.Elapsed;
                    }
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
                {
                    // Not listening yet (connection refused): poll again shortly.
                }
            }
            // Each attempt costs the client some CPU, which the starting server on 2 cores would feel: 20 ms apart.
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    /// <summary>
    /// One health Check against a port nothing listens on. The bench's own first gRPC call JITs the client stack
    /// (hundreds of ms); doing it here keeps that out of the first start-up figure.
    /// </summary>
    public static async Task WarmUpClientAsync(CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{FreeLoopbackPort()}");
        try
        {
            await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
        }
        catch (RpcException)
        {
            // Expected: connection refused.
        }
    }

    /// <summary>VmRSS and VmHWM (peak RSS) of the server process, from /proc/&lt;pid&gt;/status.</summary>
    public MemoryStatus ReadMemory() => MemoryStatus.Read(Pid);

    public async ValueTask DisposeAsync()
    {
        Kill();
        await DeleteWithRetriesAsync(_dataDirectory);
        _process.Dispose();
    }

    /// <summary>Kills every server this process started that is still running, and deletes its folder (SIGTERM, last resort).</summary>
    public static void KillAll()
    {
        foreach (var server in Alive.Values)
        {
            server.Kill();
            try
            {
                Directory.Delete(server._dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort while the bench is going down.
            }
        }
    }

    private void Kill()
    {
        TryKill(_process);
        Alive.TryRemove(_process.Id, out _);
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                // SIGKILL: the database is thrown away, so there is nothing to shut down cleanly.
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void OnLogLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        Interlocked.CompareExchange(ref _firstLogTicks, _sinceStart.Elapsed.Ticks, -1);
        if (line.Contains("Now listening on", StringComparison.Ordinal))
        {
            Interlocked.CompareExchange(ref _listeningTicks, _sinceStart.Elapsed.Ticks, -1);
        }
        _logTail.Enqueue(line);
        while (_logTail.Count > 60 && _logTail.TryDequeue(out _))
        {
        }
    }

    // The OS picks a free port; it is released just before the server binds it (a small race, fine on a bench machine).
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task DeleteWithRetriesAsync(string directory)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
                return;
            }
            catch (IOException) when (attempt < 4)
            {
                await Task.Delay(200);
            }
        }
    }
}

/// <summary>Resident and peak resident memory of a process, in bytes.</summary>
public sealed record MemoryStatus(long RssBytes, long PeakRssBytes)
{
    public static MemoryStatus Read(int pid)
    {
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = ParseKilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = ParseKilobytes(line);
            }
        }
        return new MemoryStatus(rss, hwm);
    }

    // "VmRSS:     123456 kB"
    private static long ParseKilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
}

/// <summary>Samples a process's VmRSS every few milliseconds while it runs, keeping the highest value.</summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _maxRss;

    public MemorySampler(int pid)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var rss = MemoryStatus.Read(pid).RssBytes;
                if (rss > Interlocked.Read(ref _maxRss))
                {
                    Interlocked.Exchange(ref _maxRss, rss);
                }
                try
                {
                    await Task.Delay(20, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public long MaxRssBytes => Interlocked.Read(ref _maxRss);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CitationService.Contracts;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CitationService.Tests.Server;

/// <summary>
/// The built server as a child process (<c>dotnet CitationService.Server.dll</c>, the copy the test build puts next
/// to the tests, so of the tests' own configuration) on a free 127.0.0.1 port, over a <see cref="TestDatabase"/>.
/// Killed (SIGKILL) on dispose if still alive, and when the test process exits.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private const int LogTailLines = 40;

    // Every server still running, killed when the test process exits so that none outlives it.
    private static readonly ConcurrentDictionary<int, ServerProcess> Running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _logTail = new();

    static ServerProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var server in Running.Values)
        {
            server.Kill();
        }
    };

    private ServerProcess(Process process, int port, string apiKey)
    {
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
        Channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, ApiKeyCredentials.Create(apiKey)),
            // No TLS in tests: the key only crosses loopback.
            UnsafeUseInsecureChannelCallCredentials = true,
            MaxReceiveMessageSize = 32 * 1024 * 1024,
        });
    }

    public Uri Address { get; }

    /// <summary>A channel to the server that sends its API key with every call.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>The server's last lines of output, for failure messages.</summary>
    public string LogTail => string.Join(Environment.NewLine, _logTail);

    /// <summary>
    /// Starts the server on <paramref name="database"/> without waiting for it to serve; it accepts
    /// <paramref name="apiKey"/>, seeds from <paramref name="seedDirectory"/> ("" for none), and takes
    /// <paramref name="secrets"/> (e.g. <c>Security:PageTokenKey</c>) from its environment, off its command line.
    /// </summary>
    public static ServerProcess Start(TestDatabase database, string apiKey, string seedDirectory = "", IReadOnlyDictionary<string, string>? secrets = null)
    {
        var port = FreeLoopbackPort();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CitationService.Server.dll"));
        info.ArgumentList.Add($"--Urls=http://127.0.0.1:{port}");
        foreach (var (key, value) in database.Settings)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }
        info.ArgumentList.Add($"--Seeding:Directory={seedDirectory}");
        info.ArgumentList.Add($"--Classification:ModelsDirectory={RepositoryPaths.Models}");
        info.ArgumentList.Add("--Logging:LogLevel:Microsoft.AspNetCore=Warning");
        info.Environment["Security__ApiKeys__0"] = apiKey;
        foreach (var (key, value) in secrets ?? new Dictionary<string, string>())
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("the server did not start");
        var server = new ServerProcess(process, port, apiKey);
        Running[process.Id] = server;
        // Both pipes drained all the time: a full pipe would block the server's logging.
        process.OutputDataReceived += (_, e) => server.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnOutput(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Starts the server and waits until it serves.</summary>
    public static async Task<ServerProcess> StartAsync(TestDatabase database, string apiKey)
    {
        var server = Start(database, apiKey);
        try
        {
            await server.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Polls the health service until it answers SERVING; fails when the server exits or <paramref name="timeout"/> passes.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var health = new Health.HealthClient(Channel);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            Assert.False(_process.HasExited, $"the server exited with {(_process.HasExited ? _process.ExitCode : 0)} before serving:{Environment.NewLine}{LogTail}");
            try
            {
                var response = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (response.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException) when (Stopwatch.GetElapsedTime(started) < timeout)
            {
            }
            Assert.True(Stopwatch.GetElapsedTime(started) < timeout, $"the server did not serve within {timeout}:{Environment.NewLine}{LogTail}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, no finally.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        Running.TryRemove(_process.Id, out _);
    }

    public void Dispose()
    {
        Channel.Dispose();
        Kill();
        _process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }
        _logTail.Enqueue(line);
        while (_logTail.Count > LogTailLines && _logTail.TryDequeue(out _))
        {
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

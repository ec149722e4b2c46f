using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;

namespace CitationService.Tests.PostgreSql;

/// <summary>
/// A PostgreSQL 15 cluster in a temp folder of its own, started by <see cref="StartAsync"/> and stopped, with its
/// folder deleted, when this process exits. A watchdog process stops it too if this process is killed first.
/// </summary>
internal sealed class PostgresCluster
{
    /// <summary>The superuser <c>initdb</c> creates; every local connection is trusted.</summary>
    public const string SuperUser = "citations";

    private const string DefaultBinFolder = "/usr/lib/postgresql/15/bin";

    // PostgreSQL refuses to run as root, so root runs the server binaries as this user.
    private const string ServiceUser = "postgres";

    private const int StartAttempts = 3;
    private const int LogTailLines = 40;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    // The postmaster's signal for an immediate shutdown; 3 on Linux and macOS.
    private const int SigQuit = 3;

    private readonly string _binFolder;
    private readonly string _dataFolder;
    private readonly bool _asServiceUser;
    private readonly Lock _stopLock = new();
    private Process? _watchdog;
    private bool _stopped;

    private PostgresCluster(string binFolder, string dataFolder, bool asServiceUser)
    {
        _binFolder = binFolder;
        _dataFolder = dataFolder;
        _asServiceUser = asServiceUser;
    }

    /// <summary>The TCP port the server listens on, on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The postmaster's process id, for whoever has to stop a server left behind.</summary>
    public int ProcessId { get; private set; }

    /// <summary>A connection string to the <c>postgres</c> database as <see cref="SuperUser"/>.</summary>
    public string AdminConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = SuperUser,
        Database = "postgres",
        Pooling = true,
        IncludeErrorDetail = true,
    }.ConnectionString;

    /// <summary>Creates, initialises and starts a cluster; stops it again when this process exits.</summary>
    public static Task<PostgresCluster> StartAsync() => Task.Run(() =>
    {
        var cluster = new PostgresCluster(
            FindBinFolder(),
            Path.Combine(Path.GetTempPath(), $"citations-pg-{Guid.NewGuid():N}"),
            IsRoot());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        try
        {
            cluster.CreateDataFolder();
            cluster.StartWatchdog();
            cluster.Initialise();
            cluster.StartServer();
            Console.Error.WriteLine($"Started the {cluster}; it stops when this process exits.");
        }
        catch
        {
            cluster.Stop();
            throw;
        }

        return cluster;
    });

    /// <summary>Stops the server at once, deletes its folder and ends the watchdog; runs once, later calls do nothing.</summary>
    public void Stop()
    {
        lock (_stopLock)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            try
            {
                StopServer();
                if (Directory.Exists(_dataFolder))
                {
                    Directory.Delete(_dataFolder, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Nobody awaits a process-exit handler, so stderr is the only place this can go. The watchdog
                // tries the same stop and delete once this process has exited.
                Console.Error.WriteLine($"Could not stop and delete the {this}: {e.Message}");
            }

            if (_watchdog is not null)
            {
                // Closing its input is the watchdog's signal; it finds nothing left to stop.
                _watchdog.StandardInput.Close();
                _watchdog.WaitForExit(TimeSpan.FromSeconds(10));
                _watchdog.Dispose();
            }
        }
    }

    /// <summary>
    /// Does what <c>pg_ctl stop -m immediate -w</c> does, without starting a process: sends the postmaster SIGQUIT
    /// and waits for it to remove its pid file. A test host is killed a moment after its process-exit handlers
    /// start, too soon for runuser and pg_ctl to finish.
    /// </summary>
    private void StopServer()
    {
        var pidFile = Path.Combine(_dataFolder, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) || !IsPostgres(pid))
        {
            return;
        }

        if (SendSignal(pid, SigQuit) != 0)
        {
            throw new IOException($"kill({pid}, SIGQUIT) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        var waited = Stopwatch.StartNew();
        while (File.Exists(pidFile))
        {
            if (waited.Elapsed > StopTimeout)
            {
                throw new IOException($"The postmaster (pid {pid}) still runs {StopTimeout.TotalSeconds:0} s after SIGQUIT.");
            }

            Thread.Sleep(10);
        }
    }

    // A pid file left by a postmaster that died may name a process that is not PostgreSQL by now.
    private static bool IsPostgres(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.ProcessName == "postgres";
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"PostgreSQL test cluster (postmaster pid {ProcessId}, port {Port}, data {_dataFolder})";

    private static string FindBinFolder()
    {
        if (HasServerBinaries(DefaultBinFolder))
        {
            return DefaultBinFolder;
        }

        string pgConfigAnswer;
        try
        {
            pgConfigAnswer = Run(new Command("pg_config", ["--bindir"])).Trim();
        }
        catch (CommandException e)
        {
            pgConfigAnswer = e.Message;
        }

        if (HasServerBinaries(pgConfigAnswer))
        {
            return pgConfigAnswer;
        }

        throw new InvalidOperationException(
            "The PostgreSQL tests need the PostgreSQL 15 server binaries (initdb, pg_ctl, postgres). " +
            $"They were looked for in {DefaultBinFolder} and in the folder `pg_config --bindir` prints ({pgConfigAnswer}). " +
            "Install PostgreSQL 15 (Debian/Ubuntu: apt-get install postgresql-15), or set CITATIONS_TEST_POSTGRES " +
            "to an Npgsql connection string for a server whose user may CREATE DATABASE.");
    }

    private static bool HasServerBinaries(string folder) =>
        Path.IsPathRooted(folder)
        && File.Exists(Path.Combine(folder, "initdb"))
        && File.Exists(Path.Combine(folder, "pg_ctl"));

    private static bool IsRoot() =>
        Environment.UserName == "root" || (!OperatingSystem.IsWindows() && GetEffectiveUserId() == 0);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private void CreateDataFolder()
    {
        // initdb narrows the folder's permissions to the owner's.
        Directory.CreateDirectory(_dataFolder);
        if (_asServiceUser)
        {
            Run(new Command("chown", [ServiceUser, _dataFolder]));
        }
    }

    private void StartWatchdog()
    {
        // A shell that ignores the signals a terminal or a process-group kill sends, waits for end of input (this
        // process closes the pipe on exit, and the kernel closes it when this process is killed), then stops the
        // server and deletes the folder. Arguments: the data folder, then the stop command.
        const string Script = """
            trap '' HUP INT QUIT TERM
            exec >/dev/null 2>&1
            cat
            data=$1
            shift
            "$@"
            rm -rf -- "$data"
            """;
        var stop = ServerCommand("pg_ctl", "stop", "-m", "immediate", "-w", "-D", _dataFolder);
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in (string[])["-c", Script, "sh", _dataFolder, stop.FileName, .. stop.Arguments])
        {
            start.ArgumentList.Add(argument);
        }

        _watchdog = Process.Start(start) ?? throw new InvalidOperationException("Could not start /bin/sh for the PostgreSQL watchdog.");
    }

    private void Initialise() => Run(ServerCommand(
        "initdb", "-D", _dataFolder, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"));

    private void StartServer()
    {
        var log = Path.Combine(_dataFolder, "server.log");
        for (var attempt = 1; ; attempt++)
        {
            // Another process may take the port between here and the server's bind: then the start fails and the
            // next attempt picks a new port.
            Port = FreePort();
            var options = string.Join(' ',
                "-c listen_addresses=127.0.0.1",
                $"-p {Port}",
                $"-k {ShellQuote(_dataFolder)}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200");
            try
            {
                Run(ServerCommand("pg_ctl", "start", "-D", _dataFolder, "-l", log, "-w", "-t", "60", "-o", options));
                ProcessId = int.Parse(File.ReadLines(Path.Combine(_dataFolder, "postmaster.pid")).First());
                return;
            }
            catch (CommandException e)
            {
                if (attempt == StartAttempts)
                {
                    var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(LogTailLines)) : "(no server.log)";
                    throw new InvalidOperationException(
                        $"The test PostgreSQL server did not start after {StartAttempts} attempts (last port {Port}, data {_dataFolder}). " +
                        $"Last error: {e.Message}\nEnd of server.log:\n{tail}",
                        e);
                }
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    private Command ServerCommand(string binary, params string[] arguments)
    {
        var path = Path.Combine(_binFolder, binary);
        return _asServiceUser
            ? new Command("runuser", ["-u", ServiceUser, "--", path, .. arguments])
            : new Command(path, arguments);
    }

    /// <summary>Runs <paramref name="command"/> to its end; returns its standard output.</summary>
    /// <exception cref="CommandException">It could not start, ran past <see cref="CommandTimeout"/>, or exited non-zero.</exception>
    private static string Run(Command command)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The service user may not be allowed into this process's working directory.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new CommandException(command, "did not start");
        }
        catch (Win32Exception e)
        {
            throw new CommandException(command, $"could not start: {e.Message}");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(CommandTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new CommandException(command, $"ran longer than {CommandTimeout.TotalSeconds:0} s and was killed");
            }

            // A child that outlives the command may hold the pipes open; do not wait for it.
            if (!Task.WaitAll([output, error], TimeSpan.FromSeconds(10)))
            {
                throw new CommandException(command, $"exited {process.ExitCode} but a process it started kept its output open");
            }

            if (process.ExitCode != 0)
            {
                throw new CommandException(command, $"exited {process.ExitCode}\nstdout:\n{output.Result}\nstderr:\n{error.Result}");
            }

            return output.Result;
        }
    }

    private sealed record Command(string FileName, string[] Arguments)
    {
        public override string ToString() =>
            string.Join(' ', [FileName, .. Arguments.Select(argument => argument.Contains(' ') ? $"\"{argument}\"" : argument)]);
    }

    private sealed class CommandException(Command command, string problem) : Exception($"`{command}` {problem}");
}

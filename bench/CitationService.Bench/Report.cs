using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace CitationService.Bench;

/// <summary>Plain-text output: a header with machine facts, section titles, aligned tables, a footer.</summary>
public sealed class Report(TextWriter output)
{
    public static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public void Header(BenchOptions options, RepoLayout repo)
    {
        output.WriteLine("CitationService benchmark" + (options.Quick ? " (--quick)" : ""));
        output.WriteLine($"  date (UTC)     {DateTime.UtcNow:yyyy-MM-dd HH:mm}");
        output.WriteLine($"  machine        {Environment.ProcessorCount} cores, {CpuModel()}, {TotalMemory()}");
        output.WriteLine($"  load average   {LoadAverage()} (1, 5, 15 min; other work on the machine competes for the cores)");
        output.WriteLine($"  OS             {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        output.WriteLine($"  .NET           {RuntimeInformation.FrameworkDescription}");
        output.WriteLine($"  bench build    {BuildConfiguration}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
#if DEBUG
        output.WriteLine("  WARNING        Debug build (bench and server): figures are not representative; use -c Release.");
#endif
        output.WriteLine($"  server         {Path.GetRelativePath(repo.Root, repo.ServerAssembly)} ({ServerConfiguration(repo.ServerAssembly)})");
        output.WriteLine();
    }

    public void Section(string title)
    {
        output.WriteLine(title);
        output.WriteLine(new string('-', title.Length));
    }

    public void Line(string text = "") => output.WriteLine(text);

    public void Table(Table table)
    {
        table.WriteTo(output);
        output.WriteLine();
    }

    public void Footer(BenchOptions options)
    {
        output.WriteLine("How these figures were measured");
        output.WriteLine($"  - One run; the bench (client) and the server share this machine's {Environment.ProcessorCount} cores, so");
        output.WriteLine("    client work is included and figures are noisy; compare ratios within one run.");
        output.WriteLine("  - Server: the real CitationService.Server.dll as a child process, h2c on 127.0.0.1, SQLite database");
        output.WriteLine("    in a fresh temp folder (deleted at the end), repo seeds/ and models/. ASP.NET per-request logs " + (options.KeepRequestLogs ? "ON." : "off."));
        output.WriteLine("  - Start-up: Stopwatch from Process.Start to the first grpc.health.v1.Health/Check answering SERVING,");
        output.WriteLine("    polled every 20 ms with a fresh channel; each start with an empty database (migrations, seed ingest and classification run).");
        output.WriteLine($"  - Unary: closed loop, {options.Channels} GrpcChannels (one HTTP/2 connection each) x {options.InFlightPerChannel} calls in flight;");
        output.WriteLine($"    unmeasured warm-up ({options.UnaryWarmupCalls:N0} calls or {options.UnaryWarmupLimit.TotalSeconds:0} s), then up to {options.UnaryCalls:N0} measured calls or {options.UnaryLimit.TotalSeconds:0} s.");
        output.WriteLine("    Latency is per call as the client sees it;");
        output.WriteLine("    p50/p99 are exact nearest-rank percentiles over all measured calls. Ratios are against the health Check of this run.");
        output.WriteLine("    CPU/call = user+system CPU time of the server (/proc/<pid>/stat) and of the bench over the measured calls,");
        output.WriteLine("    divided by the call count: steadier than calls/s when other work shares the machine.");
        output.WriteLine("  - Streams: wall time from the call to the last message; memory from /proc/<server pid>/status (VmRSS");
        output.WriteLine("    sampled every 20 ms; VmHWM is the process's peak since start). Result-set size = sum of protobuf message sizes.");
        if (options.Postgres)
        {
            output.WriteLine("  - PostgreSQL (--postgres): a second server process of the same build on a database created for the run, started");
            output.WriteLine("    after section 1; it ingests the big hub right after the SQLite server (section 2), then idles until section 6,");
            output.WriteLine("    which runs each store-bound measurement on both servers back to back with the same counts and load shape.");
        }
    }

    public static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString(t.TotalMilliseconds < 10 ? "0.00" : "0.0", Culture);

    public static string Micros(TimeSpan t) => t.TotalMicroseconds.ToString("N0", Culture) + " us";

    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", Culture) + " s";

    public static string Rate(double perSecond) => perSecond.ToString("N0", Culture);

    public static string Count(long n) => n.ToString("N0", Culture);

    public static string Ratio(double value) => value.ToString("0.00", Culture) + "x";

    public static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", Culture) + " MiB";

    public static string SignedMib(long bytes) => (bytes >= 0 ? "+" : "") + Mib(bytes);

#if DEBUG
    public const string BuildConfiguration = "Debug";
#else
    public const string BuildConfiguration = "Release";
#endif

    // The server's build configuration, as its output path shows it (bin/<Configuration>/<tfm>/).
    private static string ServerConfiguration(string serverAssembly)
    {
        var parts = serverAssembly.Split(Path.DirectorySeparatorChar);
        return parts.Contains("Release") ? "Release" : parts.Contains("Debug") ? "Debug" : "configuration unknown";
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    /// <summary>The 1/5/15-minute load averages, now: a figure above the core count means the run shared the CPU.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string TotalMemory()
    {
        var bytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return (bytes / (1024.0 * 1024 * 1024)).ToString("0.0", Culture) + " GiB RAM";
    }
}

/// <summary>A text table: first column left-aligned, the others right-aligned (they hold numbers).</summary>
public sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public Table Add(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    public void WriteTo(TextWriter output)
    {
        var widths = headers.Select((h, i) => _rows.Select(r => i < r.Length ? r[i].Length : 0).Append(h.Length).Max()).ToArray();
        Write(output, headers, widths);
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
        {
            Write(output, row, widths);
        }
    }

    private static void Write(TextWriter output, string[] cells, int[] widths)
    {
        var padded = widths.Select((w, i) =>
        {
            var cell = i < cells.Length ? cells[i] : "";
            return i == 0 ? cell.PadRight(w) : cell.PadLeft(w);
        });
        output.WriteLine(string.Join("  ", padded).TrimEnd());
    }
}

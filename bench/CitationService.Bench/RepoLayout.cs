using System.Reflection;

namespace CitationService.Bench;

/// <summary>Where the repository's seeds, models and the server build are.</summary>
public sealed record RepoLayout(string Root, string ServerAssembly)
{
    public string SeedsDirectory => Path.Combine(Root, "seeds");
    public string ModelsDirectory => Path.Combine(Root, "models");

    /// <summary>
    /// The repository root is the first folder above the bench's binaries (or the working directory) that holds
    /// CitationService.sln. The server assembly is the path the build recorded (see the csproj), unless given.
    /// </summary>
    public static RepoLayout Find(string? serverAssemblyOverride)
    {
        var root = FindRoot(AppContext.BaseDirectory) ?? FindRoot(Environment.CurrentDirectory)
            ?? throw new InvalidOperationException("CitationService.sln not found above the bench binaries or the working directory.");
        var server = serverAssemblyOverride ?? RecordedServerAssembly()
            ?? throw new InvalidOperationException("The bench build did not record the server assembly path; pass --server-dll.");
        if (!File.Exists(server))
        {
            throw new InvalidOperationException($"Server assembly '{server}' does not exist; build the bench (it builds the server) or pass --server-dll.");
        }
        return new RepoLayout(root, server);
    }

    private static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CitationService.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }

    private static string? RecordedServerAssembly() =>
        typeof(RepoLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ServerAssemblyPath")?.Value is { Length: > 0 } path ? path : null;
}

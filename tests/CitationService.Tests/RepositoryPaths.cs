namespace CitationService.Tests;

/// <summary>Folders of the repository the tests run from.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Models => Path.Combine(Root, "models");

    public static string Data => Path.Combine(Root, "data");

    /// <summary>The seed pages as copied into the test output.</summary>
    public static string Seeds => Path.Combine(AppContext.BaseDirectory, "seeds");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CitationService.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("CitationService.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A folder under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "citations-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

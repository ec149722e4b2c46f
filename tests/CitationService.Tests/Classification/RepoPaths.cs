namespace CitationService.Tests.Classification;

/// <summary>Finds the repository root (the folder holding CitationService.sln) above the test output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Models => Path.Combine(Root, "models");

    public static string Data => Path.Combine(Root, "data");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CitationService.sln")))
            {
                return dir.FullName;
            }
            dir = dir.Parent;
        }
        throw new InvalidOperationException($"No CitationService.sln above {AppContext.BaseDirectory}.");
    }
}

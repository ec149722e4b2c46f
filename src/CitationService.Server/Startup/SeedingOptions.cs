namespace CitationService.Server.Startup;

/// <summary>Which hub pages the service ingests when it starts.</summary>
public sealed class SeedingOptions
{
    public const string Section = "Seeding";

    /// <summary>Folder of <c>*.txt</c> hub pages, relative to the content root. Empty: ingest nothing.</summary>
    public string Directory { get; set; } = "seeds";

    /// <summary>
    /// Tab-separated <c>file → source URL</c> list inside <see cref="Directory"/>; pages it does not name
    /// are ingested without a source URL (matched by title).
    /// </summary>
    public string SourcesFile { get; set; } = "sources.tsv";
}

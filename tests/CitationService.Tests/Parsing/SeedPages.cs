using CitationService.Core.Pages;

namespace CitationService.Tests.Parsing;

/// <summary>The seed pages the test project copies to its output folder.</summary>
internal static class SeedPages
{
    public const string Npo = "000_bb0c471c89efa636.txt";
    public const string Pythia = "pith-pythia-suite.txt";
    public const string RawArxiv = "pith-raw-arxiv-2310.10683.txt";
    public const string ToEach = "pith-raw-to-each-textual-sequence.txt";

    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seeds", name));

    public static string[] Lines(string name) => Text(name).Replace("\r\n", "\n").Split('\n');

    public static HubPage Parse(string name) => HubPageParser.Parse(Text(name));
}

using System.Text;
using CitationService.Core.Pages;
using SharpFuzz;

// Feeds AFL's input to the page parser. HubPageFormatException is the parser's one documented failure;
// any other exception escapes, and AFL records the input as a crash.
Fuzzer.OutOfProcess.Run(stream =>
{
    using var reader = new StreamReader(stream, Encoding.UTF8);
    try
    {
        HubPageParser.Parse(reader.ReadToEnd());
    }
    catch (HubPageFormatException)
    {
    }
});

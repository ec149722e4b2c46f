using System.Collections.Concurrent;
using CitationService.Classification;
using CitationService.Contracts.V1;
using CitationService.Core.Classification;
using Grpc.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using CoreModel = CitationService.Core.Model;
using CoreTextKind = CitationService.Core.Classification.TextKind;
using TextKind = CitationService.Contracts.V1.TextKind;

namespace CitationService.Tests.Server;

/// <summary>
/// What reaches the classifier: the text, its kind and its hub, from every caller (Classify, ClassifyStream, the
/// sweep that classifies stored papers). The real service and models, with the classifier wrapped in a recorder;
/// while the models read the text alone, only this shows that the hub gets through.
/// </summary>
// On SQLite only, for the suite's time: what the store gives the classifier is checked on PostgreSQL by
// LabelConsistencyTests, whose labels must be the models' for each summary read with its stored hub.
public sealed class ClassifierInputTests : IAsyncLifetime
{
    private const string NpoTitle = "Negative Preference Optimization: From Catastrophic Collapse to Effective Unlearning";
    private const string PythiaTitle = "Pythia: A Suite for Analyzing Large Language Models Across Training and Scaling";
    private TestDatabase _database = null!;
    private ServerHost _host = null!;

    private RecordingClassifier Recorder => (RecordingClassifier)_host.Services.GetRequiredService<ICitationClassifier>();

    private ClassificationService.ClassificationServiceClient Classification => new(_host.Channel);

    private HubService.HubServiceClient Hubs => new(_host.Channel);

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(TestEngine.Sqlite);
        // Starting the host runs migrations, seeds, and the classification of the seeds' papers.
        _host = ServerHost.Start(_database, configure: web =>
            web.ConfigureTestServices(services => services.AddSingleton<ICitationClassifier>(
                sp => new RecordingClassifier(sp.GetRequiredService<ModelCitationClassifier>()))));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Classify_passes_the_stored_hub_when_given_hub_id()
    {
        var hub = (await Hubs.GetHubAsync(new GetHubRequest { Title = PythiaTitle })).Hub;

        await Classification.ClassifyAsync(new ClassifyRequest { Text = "Text one.", HubId = hub.Id });

        var texts = Recorder.Received("Text one.");
        Assert.Equal(2, texts.Count);
        Assert.All(texts, text =>
        {
            Assert.Equal(CoreTextKind.Summary, text.Kind);
            Assert.Equal((hub.Title, hub.Abstract, hub.TierLabel), (text.Hub.Title, text.Hub.Abstract, text.Hub.TierLabel));
        });
    }

    [Fact]
    public async Task Classify_passes_the_inline_hub_and_the_text_kind_when_given_hub_context()
    {
        var inline = new HubContext { Title = "A Benchmark", Abstract = "We release a benchmark.", TierLabel = "hub Dataset reference" };

        await Classification.ClassifyAsync(new ClassifyRequest { Text = "Text two.", HubContext = inline, TextKind = TextKind.CitationSentence });

        var texts = Recorder.Received("Text two.");
        Assert.Equal(2, texts.Count);
        Assert.All(texts, text =>
        {
            Assert.Equal(CoreTextKind.CitationSentence, text.Kind);
            Assert.Equal((inline.Title, inline.Abstract, inline.TierLabel), (text.Hub.Title, text.Hub.Abstract, text.Hub.TierLabel));
        });
    }

    [Fact]
    public async Task Classify_passes_an_empty_hub_and_the_summary_kind_when_neither_is_given()
    {
        await Classification.ClassifyAsync(new ClassifyRequest { Text = "Text three.", Tasks = { ClassificationTask.Polarity } });

        var text = Assert.Single(Recorder.Received("Text three."));
        Assert.Equal(CitationText.Summary("Text three.", HubText.None), text);
    }

    [Fact]
    public async Task ClassifyStream_passes_each_request_its_own_hub_and_kind()
    {
        var npo = (await Hubs.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        using var call = Classification.ClassifyStream();

        for (var i = 0; i < 30; i++)
        {
            var request = (i % 3) switch
            {
                0 => new ClassifyRequest { Text = $"Stream text {i}.", HubId = npo.Id },
                1 => new ClassifyRequest { Text = $"Stream text {i}.", HubContext = new HubContext { Title = $"Inline {i}" }, TextKind = TextKind.CitationSentence },
                _ => new ClassifyRequest { Text = $"Stream text {i}." },
            };
            await call.RequestStream.WriteAsync(new ClassifyStreamRequest { Request = request, CorrelationId = $"c{i}" });
        }
        await call.RequestStream.CompleteAsync();
        var answered = 0;
        await foreach (var _ in call.ResponseStream.ReadAllAsync())
        {
            answered++;
        }

        Assert.Equal(30, answered);
        for (var i = 0; i < 30; i++)
        {
            var expected = (i % 3) switch
            {
                0 => (CoreTextKind.Summary, npo.Title),
                1 => (CoreTextKind.CitationSentence, $"Inline {i}"),
                _ => (CoreTextKind.Summary, ""),
            };
            Assert.All(Recorder.Received($"Stream text {i}."), text => Assert.Equal(expected, (text.Kind, text.Hub.Title)));
            Assert.Equal(2, Recorder.Received($"Stream text {i}.").Count);
        }
    }

    [Fact]
    public async Task Startup_classifies_every_stored_summary_together_with_its_own_hub()
    {
        var expected = new List<(string Summary, string HubTitle, string Abstract, string TierLabel)>();
        foreach (var hub in (await Hubs.ListHubsAsync(new ListHubsRequest())).Hubs)
        {
            expected.AddRange((await HubServiceTests.ReadAllAsync(Hubs.StreamCitingPapers(new StreamCitingPapersRequest { HubId = hub.Id })))
                .Where(p => p.HasSummary)
                .Select(p => (p.Summary, hub.Title, hub.Abstract, hub.TierLabel)));
        }

        var received = Recorder.All.Select(t => (t.Text, t.Hub.Title, t.Hub.Abstract, t.Hub.TierLabel)).ToHashSet();

        Assert.Equal(33, expected.Count);
        Assert.All(expected, paper => Assert.Contains(paper, received));
        Assert.All(Recorder.All, t => Assert.Equal(CoreTextKind.Summary, t.Kind));
    }

    [Fact]
    public async Task IngestHubPage_reclassifies_every_paper_of_a_hub_with_its_new_abstract()
    {
        var page = SeedPages.Text(SeedPages.Npo);
        const string oldStart = "Large Language Models (LLMs) often memorize sensitive, private, or copyrighted data during pre-training.";
        Assert.Contains(oldStart, page);
        var hub = (await Hubs.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var summaries = (await HubServiceTests.ReadAllAsync(Hubs.StreamCitingPapers(new StreamCitingPapersRequest { HubId = hub.Id })))
            .Where(p => p.HasSummary).Select(p => p.Summary).ToList();
        Recorder.Clear();

        await new IngestionService.IngestionServiceClient(_host.Channel).IngestHubPageAsync(new IngestHubPageRequest
        {
            PageText = page.Replace(oldStart, "A revised abstract.", StringComparison.Ordinal),
        });

        var newAbstract = (await Hubs.GetHubAsync(new GetHubRequest { HubId = hub.Id })).Hub.Abstract;
        Assert.StartsWith("A revised abstract.", newAbstract);
        Assert.Equal(2 * summaries.Count, Recorder.All.Count);
        Assert.Equal(summaries.Order(StringComparer.Ordinal), Recorder.All.Select(t => t.Text).Distinct().Order(StringComparer.Ordinal));
        Assert.All(Recorder.All, t => Assert.Equal((NpoTitle, newAbstract, hub.TierLabel), (t.Hub.Title, t.Hub.Abstract, t.Hub.TierLabel)));
    }

    /// <summary>The real classifier, recording every text it is given.</summary>
    private sealed class RecordingClassifier(ICitationClassifier inner) : ICitationClassifier
    {
        private readonly ConcurrentQueue<CitationText> _texts = new();

        public string RoleModelVersion => inner.RoleModelVersion;

        public string PolarityModelVersion => inner.PolarityModelVersion;

        public string RoleSentenceModelVersion => inner.RoleSentenceModelVersion;

        public string PolaritySentenceModelVersion => inner.PolaritySentenceModelVersion;

        public List<CitationText> All => [.. _texts];

        public List<CitationText> Received(string text) => [.. _texts.Where(t => t.Text == text)];

        public void Clear() => _texts.Clear();

        public CoreModel.LabelPrediction<CoreModel.CitationRole> ClassifyRole(CitationText text)
        {
            _texts.Enqueue(text);
            return inner.ClassifyRole(text);
        }

        public CoreModel.LabelPrediction<CoreModel.CitationPolarity> ClassifyPolarity(CitationText text)
        {
            _texts.Enqueue(text);
            return inner.ClassifyPolarity(text);
        }
    }
}

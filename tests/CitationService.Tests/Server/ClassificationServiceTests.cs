using CitationService.Contracts.V1;
using Grpc.Core;

namespace CitationService.Tests.Server;

/// <summary>ClassificationService and the classifications stored for citing papers, on each engine.</summary>
public abstract class ClassificationServiceTests(SeededServerFixture fixture)
{
    public sealed class OnSqlite(SeededServerFixture.OnSqlite fixture) : ClassificationServiceTests(fixture), IClassFixture<SeededServerFixture.OnSqlite>;

    public sealed class OnPostgreSql(SeededServerFixture.OnPostgreSql fixture) : ClassificationServiceTests(fixture), IClassFixture<SeededServerFixture.OnPostgreSql>;

    private const string Summary = "We apply the proposed optimization method to unlearn private data and outperform prior methods on TOFU.";
    private const string NpoTitle = "Negative Preference Optimization: From Catastrophic Collapse to Effective Unlearning";

    private ClassificationService.ClassificationServiceClient Client => new(fixture.Host.Channel);

    [Fact]
    public async Task Classify_returns_both_labels_with_the_probability_of_every_class_and_the_model_versions()
    {
        var models = await Client.GetModelsAsync(new GetModelsRequest());

        var response = await Client.ClassifyAsync(new ClassifyRequest { Text = Summary });

        var role = models.Models.Single(m => m.Task == ClassificationTask.Role && m.TextKind == TextKind.Summary);
        var polarity = models.Models.Single(m => m.Task == ClassificationTask.Polarity && m.TextKind == TextKind.Summary);
        Assert.NotEqual(CitationRole.Unspecified, response.Role.Role);
        Assert.NotEqual(CitationPolarity.Unspecified, response.Polarity.Polarity);
        Assert.Equal(role.Labels.Count, response.Role.Scores.Count);
        Assert.Equal(polarity.Labels.Count, response.Polarity.Scores.Count);
        Assert.Equal(1.0, response.Role.Scores.Sum(s => s.Probability), 3);
        Assert.Equal(1.0, response.Polarity.Scores.Sum(s => s.Probability), 3);
        Assert.Equal(response.Role.Scores[0].Probability, response.Role.Confidence);
        Assert.Equal(role.Version, response.Role.ModelVersion);
        Assert.Equal(polarity.Version, response.Polarity.ModelVersion);
    }

    [Fact]
    public async Task GetModels_lists_a_summary_and_a_sentence_model_per_task_with_their_own_test_figures()
    {
        var models = (await Client.GetModelsAsync(new GetModelsRequest())).Models;

        Assert.Equal(4, models.Count);
        foreach (var task in new[] { ClassificationTask.Role, ClassificationTask.Polarity })
        {
            var summary = models.Single(m => m.Task == task && m.TextKind == TextKind.Summary);
            var sentence = models.Single(m => m.Task == task && m.TextKind == TextKind.CitationSentence);
            Assert.NotEqual(summary.Version, sentence.Version);
            var summaryTest = Assert.Single(summary.TestScores);
            Assert.Equal("summaries", summaryTest.Corpus);
            Assert.True(summaryTest.Examples >= 400);
            Assert.True(summaryTest.HasExpectedCalibrationError);
            Assert.InRange(summaryTest.ExpectedCalibrationError, 0f, 0.1f);
            Assert.DoesNotContain(sentence.TestScores, t => t.Corpus == "summaries" || t.HasExpectedCalibrationError);
            Assert.NotEmpty(sentence.TestScores);
        }
        Assert.Equal(6, models.Single(m => m.Task == ClassificationTask.Role && m.TextKind == TextKind.Summary).Labels.Count);
        Assert.Contains("DATASET", models.Single(m => m.Task == ClassificationTask.Role && m.TextKind == TextKind.Summary).Labels);
    }
    [Fact]
    public async Task Classify_returns_only_the_requested_task()
    {
        var response = await Client.ClassifyAsync(new ClassifyRequest { Text = Summary, Tasks = { ClassificationTask.Polarity } });

        Assert.Null(response.Role);
        Assert.NotNull(response.Polarity);
    }

    [Fact]
    public async Task Classify_gives_the_same_probabilities_when_the_same_hub_is_given_by_id_or_inline()
    {
        var hubs = new HubService.HubServiceClient(fixture.Host.Channel);
        var hub = (await hubs.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        // Inline hubs carry no stated role counts: the stored hub is their equivalent only when it has none.
        Assert.Empty((await hubs.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = hub.Id })).StatedRoleCounts);
        Assert.NotEmpty(hub.Abstract);

        var byId = await Client.ClassifyAsync(new ClassifyRequest { Text = Summary, HubId = hub.Id });
        var inline = await Client.ClassifyAsync(new ClassifyRequest
        {
            Text = Summary,
            HubContext = new HubContext { Title = hub.Title, Abstract = hub.Abstract, TierLabel = hub.TierLabel },
        });

        Assert.Equal(byId, inline);
    }

    // Fails until the hub-aware summary model ships: today's model reads the text alone.
    [Fact]
    public async Task Classify_gives_different_role_probabilities_when_the_same_summary_cites_very_different_hubs()
    {
        var hub = (await new HubService.HubServiceClient(fixture.Host.Channel).GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var segmentation = new HubContext
        {
            Title = "ADE20K: A Benchmark Dataset for Semantic Image Segmentation",
            Abstract = "We release a densely annotated dataset of 25,000 scene images with pixel-level labels for 150 object "
                + "and stuff categories, and a benchmark with a public leaderboard for evaluating semantic segmentation models.",
            TierLabel = "super hub Dataset reference",
        };

        var npo = await Client.ClassifyAsync(new ClassifyRequest { Text = Summary, HubId = hub.Id, Tasks = { ClassificationTask.Role } });
        var dataset = await Client.ClassifyAsync(new ClassifyRequest { Text = Summary, HubContext = segmentation, Tasks = { ClassificationTask.Role } });

        Assert.NotEqual(
            npo.Role.Scores.OrderBy(s => s.Role).Select(s => (s.Role, s.Probability)),
            dataset.Role.Scores.OrderBy(s => s.Role).Select(s => (s.Role, s.Probability)));
    }

    // Fails until the summary models ship: today one model pair reads both kinds of text.
    [Fact]
    public async Task Classify_answers_summaries_and_citation_sentences_with_different_models()
    {
        var summary = await Client.ClassifyAsync(new ClassifyRequest { Text = Summary, TextKind = TextKind.Summary });
        var sentence = await Client.ClassifyAsync(new ClassifyRequest { Text = Summary, TextKind = TextKind.CitationSentence });

        Assert.NotEqual(summary.Role.ModelVersion, sentence.Role.ModelVersion);
        Assert.NotEqual(summary.Polarity.ModelVersion, sentence.Polarity.ModelVersion);
    }

    [Fact]
    public async Task Classify_reads_an_unspecified_text_kind_as_a_summary()
    {
        var unspecified = await Client.ClassifyAsync(new ClassifyRequest { Text = Summary });
        var summary = await Client.ClassifyAsync(new ClassifyRequest { Text = Summary, TextKind = TextKind.Summary });

        Assert.Equal(summary, unspecified);
    }

    [Fact]
    public async Task Classify_rejects_an_unknown_text_kind_naming_the_field()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ClassifyAsync(new ClassifyRequest { Text = Summary, TextKind = (TextKind)99 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("text_kind:", e.Status.Detail);
        Assert.Contains("99", e.Status.Detail);
    }

    [Theory]
    [InlineData("", "text")]
    [InlineData("   ", "text")]
    [InlineData(null, "text")]
    public async Task Classify_rejects_empty_or_oversized_text(string? text, string field)
    {
        text ??= new string('a', 4001);

        var e = await Assert.ThrowsAsync<RpcException>(() => Client.ClassifyAsync(new ClassifyRequest { Text = text }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith(field + ":", e.Status.Detail);
    }

    [Fact]
    public async Task Classify_rejects_an_unknown_task_naming_its_index()
    {
        var request = new ClassifyRequest { Text = Summary, Tasks = { ClassificationTask.Role, ClassificationTask.Unspecified } };

        var e = await Assert.ThrowsAsync<RpcException>(() => Client.ClassifyAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("tasks[1]:", e.Status.Detail);
    }

    [Fact]
    public async Task Classify_fails_with_not_found_for_an_unknown_hub_id()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.ClassifyAsync(new ClassifyRequest { Text = Summary, HubId = "hub_missing" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("hub_missing", e.Status.Detail);
    }

    [Fact]
    public async Task ClassifyStream_answers_every_text_in_order_as_the_unary_call_does()
    {
        var texts = SeedPages.ExplorerEntries(SeedPages.Npo)
            .Where(e => e.Summary is not null).Select(e => e.Summary!)
            .SelectMany((summary, i) => Enumerable.Repeat(summary, 1 + (i % 3)))
            .SelectMany(summary => Enumerable.Repeat(summary, 10)).ToList();
        using var call = Client.ClassifyStream();

        var reading = Task.Run(async () =>
        {
            var responses = new List<ClassifyStreamResponse>();
            await foreach (var response in call.ResponseStream.ReadAllAsync())
            {
                responses.Add(response);
            }
            return responses;
        });
        for (var i = 0; i < texts.Count; i++)
        {
            await call.RequestStream.WriteAsync(new ClassifyStreamRequest { Request = new ClassifyRequest { Text = texts[i] }, CorrelationId = $"c{i}" });
        }
        await call.RequestStream.CompleteAsync();
        var streamed = await reading;

        Assert.Equal(texts.Count, streamed.Count);
        Assert.Equal(Enumerable.Range(0, texts.Count).Select(i => (long)i), streamed.Select(r => r.Index));
        Assert.Equal(Enumerable.Range(0, texts.Count).Select(i => $"c{i}"), streamed.Select(r => r.CorrelationId));
        foreach (var i in new[] { 0, 5, texts.Count / 2, texts.Count - 1 })
        {
            Assert.Equal(await Client.ClassifyAsync(new ClassifyRequest { Text = texts[i] }), streamed[i].Response);
        }
    }

    [Fact]
    public async Task ClassifyStream_fails_with_invalid_argument_naming_the_bad_request()
    {
        using var call = Client.ClassifyStream();

        await call.RequestStream.WriteAsync(new ClassifyStreamRequest { Request = new ClassifyRequest { Text = Summary }, CorrelationId = "first" });
        await call.RequestStream.WriteAsync(new ClassifyStreamRequest { Request = new ClassifyRequest { Text = "" } });
        var answered = new List<ClassifyStreamResponse>();
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var answer in call.ResponseStream.ReadAllAsync())
            {
                answered.Add(answer);
            }
        });

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("requests[1].request.text:", e.Status.Detail);
        // The answer to the request before the bad one is sent before the error (README).
        var first = Assert.Single(answered);
        Assert.Equal((0L, "first"), (first.Index, first.CorrelationId));
        Assert.NotEqual(CitationRole.Unspecified, first.Response.Role.Role);
    }

    [Fact]
    public async Task ClassifyStream_fails_with_invalid_argument_naming_the_text_kind_of_the_bad_request()
    {
        using var call = Client.ClassifyStream();

        await call.RequestStream.WriteAsync(new ClassifyStreamRequest { Request = new ClassifyRequest { Text = Summary, TextKind = TextKind.CitationSentence } });
        await call.RequestStream.WriteAsync(new ClassifyStreamRequest { Request = new ClassifyRequest { Text = Summary, TextKind = (TextKind)99 } });
        await call.RequestStream.CompleteAsync();
        var answered = new List<ClassifyStreamResponse>();
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var response in call.ResponseStream.ReadAllAsync())
            {
                answered.Add(response);
            }
        });

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("requests[1].request.text_kind:", e.Status.Detail);
        Assert.Equal([0L], answered.Select(r => r.Index));
    }

    [Fact]
    public async Task GetModels_gives_each_model_of_the_manifest_as_written_there_and_the_threshold()
    {
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Models, "manifest.json")));

        var response = await Client.GetModelsAsync(new GetModelsRequest());

        Assert.Equal(0.5f, response.ConfidenceThreshold);
        var expected = manifest.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(expected.Count, response.Models.Count);
        foreach (var (model, info) in expected.Zip(response.Models))
        {
            var task = model.GetProperty("task").GetString() switch { "role" => ClassificationTask.Role, "polarity" => ClassificationTask.Polarity, var t => throw new InvalidDataException(t) };
            var kind = model.GetProperty("text_kind").GetString() switch { "summary" => TextKind.Summary, "citation_sentence" => TextKind.CitationSentence, var k => throw new InvalidDataException(k) };
            Assert.Equal((task, kind, model.GetProperty("version").GetString()), (info.Task, info.TextKind, info.Version));
            Assert.Equal(model.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!.ToUpperInvariant()), info.Labels);
            var tests = model.GetProperty("test").EnumerateArray().ToList();
            Assert.Equal(tests.Count, info.TestScores.Count);
            foreach (var (test, score) in tests.Zip(info.TestScores))
            {
                Assert.Equal(
                    (test.GetProperty("corpus").GetString(), test.GetProperty("examples").GetInt32(), (float)test.GetProperty("macro_f1").GetDouble(), (float)test.GetProperty("accuracy").GetDouble()),
                    (score.Corpus, score.Examples, score.MacroF1, score.Accuracy));
                var hasEce = test.TryGetProperty("ece", out var ece);
                Assert.Equal(hasEce, score.HasExpectedCalibrationError);
                Assert.Equal(hasEce ? (float)ece.GetDouble() : 0f, score.ExpectedCalibrationError);
            }
        }
        // Both tasks and both kinds are in the manifest, so each branch of the mapping is taken.
        Assert.Equal(4, response.Models.Select(m => (m.Task, m.TextKind)).Distinct().Count());
    }

    [Theory]
    [InlineData(TextKind.Unspecified, TextKind.Summary)]
    [InlineData(TextKind.Summary, TextKind.Summary)]
    [InlineData(TextKind.CitationSentence, TextKind.CitationSentence)]
    public async Task Classify_answers_with_the_models_of_the_text_kind(TextKind asked, TextKind served)
    {
        var models = (await Client.GetModelsAsync(new GetModelsRequest())).Models;

        var response = await Client.ClassifyAsync(new ClassifyRequest { Text = Summary, TextKind = asked });

        Assert.Equal(models.Single(m => m.Task == ClassificationTask.Role && m.TextKind == served).Version, response.Role.ModelVersion);
        Assert.Equal(models.Single(m => m.Task == ClassificationTask.Polarity && m.TextKind == served).Version, response.Polarity.ModelVersion);
    }

    [Fact]
    public async Task Classify_returns_only_the_role_when_only_the_role_is_asked_for()
    {
        var both = await Client.ClassifyAsync(new ClassifyRequest { Text = Summary });

        var response = await Client.ClassifyAsync(new ClassifyRequest { Text = Summary, Tasks = { ClassificationTask.Role } });

        Assert.Null(response.Polarity);
        Assert.Equal(both.Role, response.Role);
    }

    [Theory]
    [InlineData("", "text: must not be empty")]
    [InlineData(" \n", "text: must not be empty")]
    public async Task Classify_rejects_an_empty_text_with_its_exact_message(string text, string message)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.ClassifyAsync(new ClassifyRequest { Text = text }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(message, e.Status.Detail);
    }

    [Fact]
    public async Task Classify_rejects_an_unknown_task_or_text_kind_with_its_exact_message()
    {
        var task = await Assert.ThrowsAsync<RpcException>(() => Client.ClassifyAsync(
            new ClassifyRequest { Text = Summary, Tasks = { ClassificationTask.Polarity, ClassificationTask.Role, (ClassificationTask)7 } }).ResponseAsync);
        var kind = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ClassifyAsync(new ClassifyRequest { Text = Summary, TextKind = (TextKind)99 }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "tasks[2]: must be CLASSIFICATION_TASK_ROLE or CLASSIFICATION_TASK_POLARITY, not 7"), (task.StatusCode, task.Status.Detail));
        Assert.Equal((StatusCode.InvalidArgument, "text_kind: must be TEXT_KIND_UNSPECIFIED, TEXT_KIND_SUMMARY or TEXT_KIND_CITATION_SENTENCE, not 99"), (kind.StatusCode, kind.Status.Detail));
    }

    [Theory]
    [InlineData(" hub_missing ", StatusCode.NotFound, "no hub with hub_id 'hub_missing'")]
    [InlineData(" ", StatusCode.InvalidArgument, "hub_id: must not be empty")]
    public async Task Classify_rejects_a_hub_id_it_cannot_resolve_with_its_exact_message(string hubId, StatusCode code, string message)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.ClassifyAsync(new ClassifyRequest { Text = Summary, HubId = hubId }).ResponseAsync);

        Assert.Equal((code, message), (e.StatusCode, e.Status.Detail));
    }

    [Theory]
    [InlineData(false, "requests[2].request: must be set")]
    [InlineData(true, "no hub with requests[2].request.hub_id 'hub_missing'")]
    public async Task ClassifyStream_names_the_index_of_a_request_it_cannot_answer(bool withRequest, string message)
    {
        using var call = Client.ClassifyStream();

        await call.RequestStream.WriteAsync(new ClassifyStreamRequest { Request = new ClassifyRequest { Text = Summary }, CorrelationId = "a" });
        await call.RequestStream.WriteAsync(new ClassifyStreamRequest { Request = new ClassifyRequest { Text = Summary }, CorrelationId = "b" });
        await call.RequestStream.WriteAsync(withRequest
            ? new ClassifyStreamRequest { Request = new ClassifyRequest { Text = Summary, HubId = "hub_missing" }, CorrelationId = "c" }
            : new ClassifyStreamRequest { CorrelationId = "c" });
        await call.RequestStream.CompleteAsync();
        var answered = new List<ClassifyStreamResponse>();
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var response in call.ResponseStream.ReadAllAsync())
            {
                answered.Add(response);
            }
        });

        Assert.Equal((withRequest ? StatusCode.NotFound : StatusCode.InvalidArgument, message), (e.StatusCode, e.Status.Detail));
        Assert.Equal([(0L, "a"), (1L, "b")], answered.Select(r => (r.Index, r.CorrelationId)));
    }

    [Fact]
    public async Task GetHubSummary_counts_every_summarised_seed_paper_by_role_and_polarity()
    {
        var hubs = new HubService.HubServiceClient(fixture.Host.Channel);
        var hub = (await hubs.GetHubAsync(new GetHubRequest { Title = "Negative Preference Optimization: From Catastrophic Collapse to Effective Unlearning" })).Hub;

        var summary = await hubs.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = hub.Id });

        Assert.Equal(27, summary.CitingPaperCount);
        Assert.Equal(1, summary.UnclassifiedRoleCount);
        Assert.Equal(1, summary.UnclassifiedPolarityCount);
        Assert.Equal(26, summary.RoleCounts.Sum(c => c.Count) + summary.LowConfidenceRoleCounts.Sum(c => c.Count));
        Assert.Equal(26, summary.PolarityCounts.Sum(c => c.Count) + summary.LowConfidencePolarityCounts.Sum(c => c.Count));
        Assert.Equal(0.5f, summary.ConfidenceThreshold);
    }

    [Fact]
    public async Task Stored_papers_carry_the_same_classification_as_classifying_their_summary()
    {
        var hubs = new HubService.HubServiceClient(fixture.Host.Channel);
        var hub = (await hubs.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var paper = (await hubs.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = hub.Id, PageSize = 1 })).CitingPapers[0];

        // A stored summary is classified together with its hub.
        var direct = await Client.ClassifyAsync(new ClassifyRequest { Text = paper.Summary, HubId = hub.Id });

        Assert.Equal(direct.Role, paper.Role);
        Assert.Equal(direct.Polarity, paper.Polarity);
    }
}

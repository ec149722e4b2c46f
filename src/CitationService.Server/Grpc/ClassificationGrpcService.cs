using System.Threading.Channels;
using CitationService.Classification;
using CitationService.Classification.Runtime;
using CitationService.Contracts.V1;
using CitationService.Core.Classification;
using CitationService.Core.Storage;
using Grpc.Core;
using Microsoft.Extensions.Options;
using ContractTextKind = CitationService.Contracts.V1.TextKind;
using TextKind = CitationService.Core.Classification.TextKind;

namespace CitationService.Server.Grpc;

/// <summary>citations.v1.ClassificationService: the role and polarity models, for any text.</summary>
public sealed class ClassificationGrpcService(
    ICitationClassifier classifier,
    ICitationStore store,
    ModelManifest manifest,
    IOptions<ClassifierOptions> options) : ClassificationService.ClassificationServiceBase
{
    private const int MaxTextsInFlight = 64;

    private readonly float _threshold = options.Value.ConfidenceThreshold;

    public override async Task<ClassifyResponse> Classify(ClassifyRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request, "");
        var text = await ValidateAsync(request, "", context.CancellationToken);
        return Run(request, text);
    }

    public override async Task ClassifyStream(IAsyncStreamReader<ClassifyStreamRequest> requestStream, IServerStreamWriter<ClassifyStreamResponse> responseStream, ServerCallContext context)
    {
        // Texts are classified on the thread pool as they arrive, up to MaxTextsInFlight ahead of the
        // writer, and answered strictly in order; the bounded channel is the backpressure on the caller.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var pending = Channel.CreateBounded<(Task<ClassifyResponse> Response, string CorrelationId)>(MaxTextsInFlight);
        var reading = ReadRequestsAsync(requestStream, pending.Writer, stop.Token);
        try
        {
            long index = 0;
            await foreach (var (response, correlationId) in pending.Reader.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(
                    new ClassifyStreamResponse { Index = index++, CorrelationId = correlationId, Response = await response },
                    context.CancellationToken);
            }
        }
        finally
        {
            stop.Cancel();
        }
        // A bad request ends the stream here, after the answers to the requests before it.
        await reading;
    }

    private async Task ReadRequestsAsync(
        IAsyncStreamReader<ClassifyStreamRequest> requestStream,
        ChannelWriter<(Task<ClassifyResponse>, string)> pending,
        CancellationToken cancellationToken)
    {
        try
        {
            long index = 0;
            await foreach (var item in requestStream.ReadAllAsync(cancellationToken))
            {
                FieldLimits.Check(item, $"requests[{index}].");
                var request = item.Request ?? throw RpcErrors.InvalidArgument($"requests[{index}].request", "must be set");
                var text = await ValidateAsync(request, $"requests[{index}].request.", cancellationToken);
                await pending.WriteAsync((Task.Run(() => Run(request, text), cancellationToken), item.CorrelationId), cancellationToken);
                index++;
            }
        }
        finally
        {
            pending.Complete();
        }
    }

    public override Task<GetModelsResponse> GetModels(GetModelsRequest request, ServerCallContext context)
    {
        var response = new GetModelsResponse { ConfidenceThreshold = _threshold };
        response.Models.AddRange(manifest.Models.Select(ToModelInfo));
        return Task.FromResult(response);
    }

    private static ModelInfo ToModelInfo(ServedModel model)
    {
        var info = new ModelInfo
        {
            Task = model.Task == "role" ? ClassificationTask.Role : ClassificationTask.Polarity,
            TextKind = model.TextKind == "summary" ? ContractTextKind.Summary : ContractTextKind.CitationSentence,
            Version = model.Version,
        };
        info.Labels.AddRange(model.Labels.Select(l => l.ToUpperInvariant()));
        info.TestScores.AddRange(model.Test.Select(test =>
        {
            var score = new TestScore
            {
                Corpus = test.Corpus,
                Examples = test.Examples,
                MacroF1 = (float)test.MacroF1,
                Accuracy = (float)test.Accuracy,
            };
            if (test.Ece is { } ece)
            {
                score.ExpectedCalibrationError = (float)ece;
            }
            return score;
        }));
        return info;
    }

    private ClassifyResponse Run(ClassifyRequest request, CitationText text)
    {
        var tasks = request.Tasks.Count == 0 ? [ClassificationTask.Role, ClassificationTask.Polarity] : request.Tasks.ToHashSet();
        var response = new ClassifyResponse();
        if (tasks.Contains(ClassificationTask.Role))
        {
            response.Role = ContractMapping.ToContract(classifier.ClassifyRole(text), _threshold);
        }
        if (tasks.Contains(ClassificationTask.Polarity))
        {
            response.Polarity = ContractMapping.ToContract(classifier.ClassifyPolarity(text), _threshold);
        }
        return response;
    }

    /// <summary>Checks <paramref name="request"/> and resolves what the classifier reads: the text, its kind and its hub.</summary>
    private async Task<CitationText> ValidateAsync(ClassifyRequest request, string prefix, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            throw RpcErrors.InvalidArgument(prefix + "text", "must not be empty");
        }
        for (var i = 0; i < request.Tasks.Count; i++)
        {
            if (request.Tasks[i] is not (ClassificationTask.Role or ClassificationTask.Polarity))
            {
                throw RpcErrors.InvalidArgument($"{prefix}tasks[{i}]", $"must be CLASSIFICATION_TASK_ROLE or CLASSIFICATION_TASK_POLARITY, not {(int)request.Tasks[i]}");
            }
        }
        var kind = request.TextKind switch
        {
            ContractTextKind.Unspecified or ContractTextKind.Summary => TextKind.Summary,
            ContractTextKind.CitationSentence => TextKind.CitationSentence,
            _ => throw RpcErrors.InvalidArgument(
                prefix + "text_kind",
                $"must be TEXT_KIND_UNSPECIFIED, TEXT_KIND_SUMMARY or TEXT_KIND_CITATION_SENTENCE, not {(int)request.TextKind}"),
        };
        // The hub is resolved for both kinds, so an unknown hub_id fails the same way whatever the kind;
        // the classifier leaves it unread for citation sentences.
        HubText hub;
        switch (request.HubCase)
        {
            case ClassifyRequest.HubOneofCase.HubId:
                var hubId = ContractMapping.RequiredId(request.HubId, prefix + "hub_id");
                var stored = await store.GetHubAsync(new HubLookup(HubId: hubId), cancellationToken)
                    ?? throw RpcErrors.NotFound($"no hub with {prefix}hub_id {FieldLimits.Quote(hubId)}");
                hub = HubText.From(stored);
                break;
            case ClassifyRequest.HubOneofCase.HubContext:
                var inline = request.HubContext;
                hub = new HubText(inline.Title, inline.Abstract, inline.TierLabel);
                break;
            default:
                hub = HubText.None;
                break;
        }
        return new CitationText(request.Text, kind, hub);
    }
}

using CitationService.Core.Classification;
using CitationService.Core.Model;
using CitationService.Core.Storage;

namespace CitationService.Tests.Storage;

/// <summary>
/// Papers stored before labels moved to one row per task (SQLite migration 7, PostgreSQL migration 2) and
/// were keyed by an integer paper key (8 and 3), and what each engine's migrations must make of them.
/// </summary>
internal static class LabelsByTaskMigration
{
    /// <summary>Rows in the schema before the move: a labelled paper, one awaiting labels, one without a summary.</summary>
    public const string InsertSql = """
        INSERT INTO hubs (id, title, normalized_title, abstract, ingested_at, updated_at) VALUES
            ('hub', 'Pythia', 'pythia', 'An abstract.', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
        INSERT INTO citing_papers (id, hub_id, position, title, normalized_title, summary, context_text,
                                   role, role_confidence, role_probabilities, role_model_version,
                                   polarity, polarity_confidence, polarity_probabilities, polarity_model_version,
                                   label_source, label_revision) VALUES
            ('labelled', 'hub', 0, 'A', 'a', 'Uses its suite.', 'We use [1].',
             2, 0.75, '{"Background":0.25,"Method":0.75}', 'role-v',
             3, 0.5, '{"Supporting":0.25,"Neutral":0.25,"Contrasting":0.5}', 'polarity-v', 1, 4),
            ('awaiting', 'hub', 1, 'B', 'b', 'Extends it.', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 2),
            ('no_summary', 'hub', 2, 'C', 'c', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0);
        UPDATE hubs SET citing_paper_count = 3;
        """;

    /// <summary>The rows of <c>citing_paper_labels</c> after the move: (paper, task, source, version), ordered.</summary>
    public const string LabelRowsSql = "SELECT c.id, l.task, l.source, l.source_version FROM citing_paper_labels l JOIN citing_papers c ON c.paper_key = l.paper_key ORDER BY c.id, l.task";

    public static readonly (string, string, string, string)[] ExpectedLabelRows =
        [("labelled", "polarity", "model", "polarity-v"), ("labelled", "role", "model", "role-v")];

    /// <summary>The papers in key order once keyed (SQLite migration 8, PostgreSQL migration 3): by hub, then page order.</summary>
    public const string PapersByKeySql = "SELECT id FROM citing_papers ORDER BY paper_key";

    public static readonly string[] ExpectedPapersByKey = ["labelled", "awaiting", "no_summary"];

    /// <summary>Every label reads back as it was stored; the paper without labels awaits them, at its revision.</summary>
    public static async Task AssertMovedAsync(ICitationStore store, CancellationToken cancellationToken)
    {
        var labelled = await store.GetCitingPaperAsync("labelled", cancellationToken);
        Assert.Equal(
            (CitationRole.Method, 0.75f, "role-v", CitationPolarity.Contrasting, 0.5f, "polarity-v", LabelSource.SummaryAndCitationContext),
            (labelled!.Role!.Label, labelled.Role.Confidence, labelled.Role.ModelVersion,
             labelled.Polarity!.Label, labelled.Polarity.Confidence, labelled.Polarity.ModelVersion, labelled.LabelSource));
        Assert.Equal(new Dictionary<CitationRole, float> { [CitationRole.Background] = 0.25f, [CitationRole.Method] = 0.75f }, labelled.Role.Probabilities);
        Assert.Equal(0.5f, labelled.Polarity.Probabilities[CitationPolarity.Contrasting]);
        Assert.Null((await store.GetCitingPaperAsync("awaiting", cancellationToken))!.Role);
        Assert.Equal([("awaiting", 2L)], (await store.GetPapersAwaitingLabelsAsync(10, cancellationToken)).Select(p => (p.Id, p.Revision)));
    }
}

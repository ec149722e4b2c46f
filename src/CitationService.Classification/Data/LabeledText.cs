namespace CitationService.Classification.Data;

/// <summary>One labelled example: cleaned text, its label in the corpus's own label set, and its group (citing paper id, or empty).</summary>
public sealed record LabeledText(string Text, string Label, string Group);

/// <summary>What data preparation removed from a corpus's train split, for the report.</summary>
public sealed record PreparationReport
{
    public int RawTrain { get; init; }
    public int RawDev { get; init; }
    public int RawTest { get; init; }
    public int DroppedTooLong { get; init; }
    public int DroppedEmpty { get; init; }
    public int DroppedInTest { get; init; }
    public int DroppedInDev { get; init; }
    public int DroppedConflicting { get; init; }
    public int DroppedDuplicates { get; init; }
    /// <summary>Production protocol: train rows left after dropping test/dev texts, conflicts and duplicates.</summary>
    public int Train { get; init; }
    /// <summary>Benchmark protocol: train rows as released, minus conflicting-label texts and exact duplicates.</summary>
    public int OfficialTrain { get; init; }
    public int OfficialDroppedConflicting { get; init; }
    public int OfficialDroppedDuplicates { get; init; }
    /// <summary>Test rows whose cleaned text occurs in the official (benchmark) train rows.</summary>
    public int TestInOfficialTrain { get; init; }
    /// <summary>Dev rows whose cleaned text occurs in the official (benchmark) train rows.</summary>
    public int DevInOfficialTrain { get; init; }
    public int Dev { get; init; }
    public int Test { get; init; }
    public string DevSource { get; init; } = "";
    public string TestSource { get; init; } = "";
}

/// <summary>
/// A corpus ready for training: cleaned splits in its own label set. <see cref="Train"/> is the production
/// protocol (no text of this corpus's dev or test split); <see cref="OfficialTrain"/> the benchmark protocol
/// (the train split as released, de-duplicated, conflicting-label texts dropped).
/// </summary>
public sealed record CorpusSplits(
    string Name,
    IReadOnlyList<string> Labels,
    IReadOnlyList<LabeledText> Train,
    IReadOnlyList<LabeledText> Dev,
    IReadOnlyList<LabeledText> Test,
    PreparationReport Report)
{
    /// <summary>The train split as released, minus conflicting-label texts and exact duplicates (benchmark protocol).</summary>
    public IReadOnlyList<LabeledText> OfficialTrain { get; init; } = Train;
}

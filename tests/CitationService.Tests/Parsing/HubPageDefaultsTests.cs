using CitationService.Core.Pages;

namespace CitationService.Tests.Parsing;

/// <summary>
/// What a <see cref="HubPage"/> and a <see cref="PageCitingPaper"/> carry for the members they are not given.
/// Both readers set most members themselves, so no parsed page shows these defaults; callers that build a page
/// in code (the store's merge and its tests) rely on them: empty text, no counts, a page that describes its hub.
/// </summary>
public class HubPageDefaultsTests
{
    [Fact]
    public void A_hub_page_given_only_its_title_describes_its_hub_and_leaves_every_other_member_empty()
    {
        var page = new HubPage { Title = "T" };

        Assert.True(page.DescribesHub);
        Assert.Equal(("", "", "", "", "", "", ""),
            (page.SourceId, page.Authors, page.Venue, page.Abstract, page.TierLabel, page.ArxivId, page.Doi));
        Assert.Equal((null, null), (page.Year, page.StatedCitingCount));
        Assert.Empty(page.StatedRoleCounts);
        Assert.Empty(page.StatedPolarityCounts);
        Assert.Empty(page.CitingPapers);
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void A_citing_paper_given_only_its_title_leaves_every_other_member_empty()
    {
        var paper = new PageCitingPaper { Title = "T" };

        Assert.Equal(("", "", "", "", ""),
            (paper.ArxivId, paper.PrimaryCategory, paper.Verdict, paper.SourceRole, paper.SourcePolarity));
        Assert.Equal(((string?)null, (string?)null), (paper.Summary, paper.ContextText));
        Assert.Equal((null, null, null, null, null, null),
            (paper.SubmittedDate, paper.SubmittedAt, paper.NoveltyScore, paper.ReferenceCount, paper.LinkConfidence, paper.ContextCount));
        Assert.False(paper.Representative);
    }
}
